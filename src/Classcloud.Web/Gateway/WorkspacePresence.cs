using System.Text.Json;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Who is connected to which workspace, in this process's memory (a gateway process knows its own
/// connections). Terminal connections listen for notices; every join and leave sends them a
/// "presence" notice with the current list, so everyone sees who else is there. Every join and leave also
/// rings <see cref="Changed"/>, so <see cref="PresenceHeartbeat"/> writes it to the database for the
/// processes that decide on idleness.
/// </summary>
public sealed class WorkspacePresence(TimeProvider clock) : IWorkspacePresence, IDisposable
{
    readonly Lock gate = new();
    readonly Dictionary<long, Room> rooms = [];

    /// <summary>Rung on every join and leave.</summary>
    public WakeSignal Changed { get; } = new();

    /// <summary>The workspaces someone is connected to now.</summary>
    public IReadOnlyList<long> Connected()
    {
        lock (gate)
        {
            return [.. rooms.Where(r => r.Value.Members.Count > 0).Select(r => r.Key)];
        }
    }

    public void Dispose() => Changed.Dispose();

    sealed class Room
    {
        public List<Member> Members { get; } = [];

        public List<Action<string>> Listeners { get; } = [];

        public DateTimeOffset? LastLeft { get; set; }
    }

    /// <summary>One connection: who, and the switch <see cref="SessionRecheck"/> flips when their access is withdrawn.</summary>
    public sealed class Member(long workspaceId, PresenceEntry entry) : IDisposable
    {
        readonly CancellationTokenSource revoked = new();

        public long WorkspaceId => workspaceId;

        public PresenceEntry Entry => entry;

        public CancellationToken Revoked => revoked.Token;

        public void Revoke()
        {
            try
            {
                revoked.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Left already.
            }
        }

        /// <summary>Called once the connection left the room.</summary>
        public void Dispose() => revoked.Dispose();
    }

    public IDisposable Join(long workspaceId, PresenceEntry entry) => Join(workspaceId, entry, out _);

    /// <summary>Joins; <paramref name="revoked"/> fires when the person may no longer go on as they joined (the bridge then closes).</summary>
    public IDisposable Join(long workspaceId, PresenceEntry entry, out CancellationToken revoked)
    {
        var member = new Member(workspaceId, entry);
        revoked = member.Revoked;
        lock (gate)
        {
            RoomOf(workspaceId).Members.Add(member);
        }
        Changed.Wake();
        Broadcast(workspaceId);
        return new Release(() =>
        {
            lock (gate)
            {
                var room = RoomOf(workspaceId);
                room.Members.Remove(member);
                room.LastLeft = clock.GetUtcNow();
            }
            member.Dispose();
            Changed.Wake();
            Broadcast(workspaceId);
        });
    }

    /// <summary>Every connection of this process now.</summary>
    public IReadOnlyList<Member> Members()
    {
        lock (gate)
        {
            return [.. rooms.Values.SelectMany(r => r.Members)];
        }
    }

    public IReadOnlyList<PresenceEntry> Who(long workspaceId)
    {
        lock (gate)
        {
            return rooms.TryGetValue(workspaceId, out var room) ? [.. room.Members.Select(m => m.Entry)] : [];
        }
    }

    public DateTimeOffset? LastSeen(long workspaceId)
    {
        lock (gate)
        {
            if (!rooms.TryGetValue(workspaceId, out var room))
            {
                return null;
            }
            return room.Members.Count > 0 ? clock.GetUtcNow() : room.LastLeft;
        }
    }

    public void Notify(long workspaceId, string type, string message) =>
        Deliver(workspaceId, JsonSerializer.Serialize(new { type, message }, JsonSerializerOptions.Web));

    /// <summary>Receives every notice for the workspace as a JSON text (a terminal connection); dispose to stop.</summary>
    public IDisposable Listen(long workspaceId, Action<string> listener)
    {
        lock (gate)
        {
            RoomOf(workspaceId).Listeners.Add(listener);
        }
        return new Release(() =>
        {
            lock (gate)
            {
                RoomOf(workspaceId).Listeners.Remove(listener);
            }
        });
    }

    /// <summary>The "presence" notice: the people connected now, their names also as the message.</summary>
    public string PresenceNotice(long workspaceId)
    {
        var who = Who(workspaceId);
        return JsonSerializer.Serialize(new
        {
            type = "presence",
            message = string.Join(", ", who.Select(e => e.DisplayName).Distinct()),
            who = who.Select(e => new { userId = e.UserId, name = e.DisplayName, canControl = e.CanControl, channel = e.Channel.ToString().ToLowerInvariant() }),
        }, JsonSerializerOptions.Web);
    }

    void Broadcast(long workspaceId) => Deliver(workspaceId, PresenceNotice(workspaceId));

    void Deliver(long workspaceId, string json)
    {
        Action<string>[] listeners;
        lock (gate)
        {
            listeners = rooms.TryGetValue(workspaceId, out var room) ? [.. room.Listeners] : [];
        }
        foreach (var listener in listeners)
        {
            listener(json);
        }
    }

    Room RoomOf(long workspaceId)
    {
        if (!rooms.TryGetValue(workspaceId, out var room))
        {
            room = new Room();
            rooms[workspaceId] = room;
        }
        return room;
    }

    /// <summary>Runs its action once, on the first Dispose.</summary>
    sealed class Release(Action action) : IDisposable
    {
        int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                action();
            }
        }
    }
}
