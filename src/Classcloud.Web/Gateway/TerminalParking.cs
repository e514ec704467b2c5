using Classcloud.Platform;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Terminal execs kept after their browser left, one per workspace, so the next connection of a person in control
/// — a reload, a resume of the suspended workspace — only takes one over and gets the screen redrawn, without a new
/// exec and tmux client (about 120 ms of a reconnect on a quiet machine). A kept exec costs the engine one idle
/// connection; it ends with the workspace (stop, delete), after <see cref="WorkspacesOptions.KeepTerminalFor"/>, or
/// when more than <see cref="WorkspacesOptions.TerminalSessions"/> are kept (the oldest goes). Per gateway process:
/// another process simply starts a new exec. Only sessions of people in control are kept: viewers attach read-only.
/// </summary>
public sealed class TerminalParking(IOptions<WorkspacesOptions> options, TimeProvider clock, ILogger<TerminalParking> logger) : IAsyncDisposable
{
    readonly Lock gate = new();
    readonly Dictionary<long, (TerminalSession Terminal, DateTimeOffset Since)> kept = [];

    internal int Count
    {
        get
        {
            lock (gate)
            {
                return kept.Count;
            }
        }
    }

    /// <summary>The kept exec of this workspace's container, taken out of the parking (the caller owns it), or null.</summary>
    internal async Task<TerminalSession?> TakeAsync(long workspaceId, WorkloadId workload, CancellationToken ct)
    {
        TerminalSession? terminal;
        DateTimeOffset since;
        lock (gate)
        {
            if (!kept.Remove(workspaceId, out var entry))
            {
                return null;
            }
            (terminal, since) = entry;
        }
        if (terminal.Ended.IsCompleted || terminal.Workload != workload || clock.GetUtcNow() - since > options.Value.KeepTerminalFor)
        {
            await terminal.DisposeAsync();
            return null;
        }
        try
        {
            await terminal.TakeOverAsync(ct);
            return terminal;
        }
        catch (Exception ex) when (ex is PlatformException or IOException or OperationCanceledException)
        {
            logger.LogDebug("The kept terminal of workspace {Workspace} could not be taken over: {Reason}", workspaceId, ex.Message);
            await terminal.DisposeAsync();
            return null;
        }
    }

    /// <summary>Keeps a session whose browser left; what it replaces or pushes out is closed. False: not kept (the caller closes it).</summary>
    internal async Task<bool> KeepAsync(long workspaceId, TerminalSession terminal)
    {
        var limits = options.Value;
        if (limits.KeepTerminalFor <= TimeSpan.Zero || limits.TerminalSessions <= 0 || terminal.Ended.IsCompleted)
        {
            return false;
        }
        terminal.Release();
        var now = clock.GetUtcNow();
        var closing = new List<TerminalSession>();
        lock (gate)
        {
            if (kept.Remove(workspaceId, out var replaced))
            {
                closing.Add(replaced.Terminal);
            }
            foreach (var (id, entry) in kept.Where(e => e.Value.Terminal.Ended.IsCompleted || now - e.Value.Since > limits.KeepTerminalFor).ToList())
            {
                kept.Remove(id);
                closing.Add(entry.Terminal);
            }
            while (kept.Count >= limits.TerminalSessions)
            {
                var oldest = kept.MinBy(e => e.Value.Since);
                kept.Remove(oldest.Key);
                closing.Add(oldest.Value.Terminal);
            }
            kept[workspaceId] = (terminal, now);
        }
        // An exec that ends while kept (the workspace stopped) leaves at once rather than at the next sweep.
        _ = terminal.Ended.ContinueWith(_ => Forget(workspaceId, terminal), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var old in closing)
        {
            await old.DisposeAsync();
        }
        return true;
    }

    void Forget(long workspaceId, TerminalSession terminal)
    {
        lock (gate)
        {
            if (!kept.TryGetValue(workspaceId, out var entry) || entry.Terminal != terminal)
            {
                return;
            }
            kept.Remove(workspaceId);
        }
        _ = terminal.DisposeAsync().AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        List<TerminalSession> all;
        lock (gate)
        {
            all = [.. kept.Values.Select(e => e.Terminal)];
            kept.Clear();
        }
        foreach (var terminal in all)
        {
            await terminal.DisposeAsync();
        }
    }
}
