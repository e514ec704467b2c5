using System.Text.Json;

namespace Classcloud.Web.Workspaces.Gateway;

/// <summary>
/// Who is connected to which workspace, in this process's memory (a gateway process knows its own
/// connections). Terminal connections listen for notices; every join and leave sends them a
/// "presence" notice with the current list, so everyone sees who else is there.
/// </summary>
public sealed class WorkspacePresence(TimeProvider clock) : IWorkspacePresence
{
    readonly Lock gate = new();
    readonly Dictionary<long, Room> rooms = [];

    sealed class Room
    {
        public List<PresenceEntry> Entries { get; } = [];

        public List<Action<string>> Listeners { get; } = [];

        public DateTimeOffset? LastLeft { get; set; }
    }

    public IDisposable Join(long workspaceId, PresenceEntry entry)
    {
        lock (gate)
        {
            RoomOf(workspaceId).Entries.Add(entry);
        }
        Broadcast(workspaceId);
        return new Release(() =>
        {
            lock (gate)
            {
                var room = RoomOf(workspaceId);
                room.Entries.Remove(entry);
                room.LastLeft = clock.GetUtcNow();
            }
            Broadcast(workspaceId);
        });
    }

    public IReadOnlyList<PresenceEntry> Who(long workspaceId)
    {
        lock (gate)
        {
            return rooms.TryGetValue(workspaceId, out var room) ? [.. room.Entries] : [];
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
            return room.Entries.Count > 0 ? clock.GetUtcNow() : room.LastLeft;
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
