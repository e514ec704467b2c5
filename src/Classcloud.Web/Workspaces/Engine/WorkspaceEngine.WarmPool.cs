using Classcloud.Web.Orchestration;

namespace Classcloud.Web.Workspaces;

/// <summary>Handing a warm-pool container to a new workspace (<see cref="WarmPool"/>).</summary>
public sealed partial class WorkspaceEngine
{
    /// <summary>
    /// Hands a claimed warm-pool container to its workspace: the workspace takes over the entry's workload, volume
    /// and VNC password, the Workload row becomes the owner's (desired state first, so the reconciler agrees), the
    /// container moves to the owner's tenant network, and the workspace is running. Every step is idempotent, so
    /// a hand-over cut short is finished by the create job (<see cref="RunAsync"/>).
    /// </summary>
    public async Task HandOverAsync(Workspace w, WarmPoolEntry entry, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.GetTimestamp();
        // Stopped (or being stopped, deleted, ...) since the request took the entry over, during the settle time:
        // that request stands, and only the move is left; taking over again would ask the container to run.
        var current = w.State is WorkspaceState.Creating or WorkspaceState.Running;
        if (current)
        {
            await TakeOverAsync(w, entry, ct);
        }
        // Under the workload's claim: no convergence (here or in another process) moves or recreates it meanwhile.
        await conductor.WhileClaimedAsync(entry.Id, _ => platform.MoveTenantAsync(names.Workload(w), names.Tenant(w.OwnerId), ct), ct);
        db.WarmPoolEntries.Remove(entry);
        if (current)
        {
            await SetStateAsync(w, WorkspaceState.Running, ct);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }
        log.LogInformation("Workspace {Workspace} took warm-pool entry {Entry} ({Elapsed:0} ms)", w.Id, entry.Id, System.Diagnostics.Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
    }

    /// <summary>
    /// The quick half of a hand-over: the owner's network made sure of (usually one look: it exists), then rows
    /// only — the workspace takes over the entry's workload, volume and VNC password, the Workload row becomes
    /// the owner's (desired running), and the workspace is running. The container runs already, on no network,
    /// reachable through the gateway's exec; <see cref="HandOverAsync"/> (the create job) then moves it to the
    /// owner's network. The network comes first so that a reconciler moving the container meanwhile finds it,
    /// made with the owner's egress setting.
    /// </summary>
    public async Task TakeOverAsync(Workspace w, WarmPoolEntry entry, CancellationToken ct)
    {
        await EnsureTenantAsync(platform, w.OwnerId, ct);
        (w.WorkloadId, w.VolumeName, w.VncPasswordProtected) = (entry.Id, entry.VolumeName, entry.VncPasswordProtected);
        await RequestAsync(w, WorkloadStates.Running, ct);
        if (w.State != WorkspaceState.Running)
        {
            await SetStateAsync(w, WorkspaceState.Running, ct);
        }
    }
}
