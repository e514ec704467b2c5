using System.Diagnostics;
using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Carries out a workspace's state changes. The container itself is the workspace's <see cref="Workload"/> row
/// (kind "workspace"): this class writes that request — desired running, stopped, paused or removed — and has the
/// <see cref="WorkloadConductor"/> apply it at once (the fast path a waiting person takes); the reconciler repairs
/// drift through the same conductor. What is not the container — the owner's network, the home volume, the image,
/// snapshots — this class prepares itself.
/// </summary>
public sealed partial class WorkspaceEngine(
    ClasscloudDb db, IContainerPlatform platform, WorkloadConductor conductor, IServiceProvider services, WorkspaceNames names,
    SnapshotCollector collector, IOptions<WorkspacesOptions> options, TimeProvider time, ILogger<WorkspaceEngine> log)
{
    public const string VncPasswordVariable = "CLASSCLOUD_VNC_PASSWORD";
    public const string WorkspaceLabel = PlatformInfo.LabelPrefix + "workspace";

    public async Task RunAsync(WorkspaceJob job, CancellationToken ct)
    {
        var w = await db.Workspaces.SingleOrDefaultAsync(x => x.Id == job.WorkspaceId, ct);
        if (w is null)
        {
            return;
        }
        switch (job.Kind)
        {
            case WorkspaceJobKind.Create or WorkspaceJobKind.Start when await db.WarmPoolEntries.SingleOrDefaultAsync(e => e.WorkspaceId == w.Id, ct) is { } claimed:
                // Claimed from the warm pool, and the hand-over in the request did not finish (or failed, and this is the retry): finish it.
                await HandOverAsync(w, claimed, ct);
                break;
            case WorkspaceJobKind.Create:
                await PrepareAsync(w, ct);
                await ApplyAsync(w, WorkloadStates.Stopped, ct);
                // Asked to start at create (QueuedAt set): it waits for capacity like any start; the worker wakes admission after this job.
                await SetStateAsync(w, w.QueuedAt is null ? WorkspaceState.Stopped : WorkspaceState.Starting, ct);
                break;
            case WorkspaceJobKind.Start:
                var clock = Stopwatch.GetTimestamp();
                var started = await StartAsync(w, ct);
                var engineMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
                // Docker has started the container when the conductor returns, and said so in the status it read
                // after the start: looking again would be one more list and inspect on the path a person waits on.
                if (started is not { Instances.Count: > 0 } || started.Running != started.Instances.Count)
                {
                    await UntilRunningAsync(w, ct);
                }
                await SetStateAsync(w, WorkspaceState.Running, ct);
                log.LogDebug("Workspace {Workspace} started: engine {Engine:0} ms, running {Total:0} ms", w.Id, engineMs, Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
                break;
            case WorkspaceJobKind.Stop:
                // A suspended workspace is thawed by the conductor first (a frozen container cannot stop).
                await ApplyAsync(w, WorkloadStates.Stopped, ct);
                await SetStateAsync(w, WorkspaceState.Stopped, ct);
                break;
            case WorkspaceJobKind.Save:
                await SaveAsync(w, ct);
                break;
            case WorkspaceJobKind.Delete:
                await DeleteAsync(w, ct);
                break;
        }
    }

    /// <summary>Freezes a running workspace (idle): memory kept, no CPU. The reconciler counts it as running.</summary>
    public async Task SuspendAsync(Workspace w, CancellationToken ct)
    {
        await DesireAsync(w, WorkloadStates.Paused, ct);
        await SetStateAsync(w, WorkspaceState.Suspended, ct);
    }

    /// <summary>Thaws a suspended workspace (a connection arrived); about 50 ms on the engine.</summary>
    public async Task ResumeAsync(Workspace w, CancellationToken ct)
    {
        var clock = Stopwatch.GetTimestamp();
        await DesireAsync(w, WorkloadStates.Running, ct);
        var engineMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        await SetStateAsync(w, WorkspaceState.Running, ct);
        log.LogDebug("Workspace {Workspace} resumed: engine {Engine:0} ms, running {Total:0} ms", w.Id, engineMs, Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
    }

    /// <summary>A new desired state for a workspace whose container exists, applied at once.</summary>
    async Task DesireAsync(Workspace w, string desired, CancellationToken ct)
    {
        var id = names.Workload(w).Value;
        if (await conductor.DesireAsync(id, desired, ct) is null)
        {
            await ApplyAsync(w, desired, ct); // no row (made before rows were kept): write the whole request
            return;
        }
        await conductor.ApplyAsync(id, ct);
    }

    /// <summary>Where the workspace's first replica is on its tenant network, while it runs.</summary>
    public async Task<string?> AddressAsync(Workspace w, CancellationToken ct) =>
        await platform.GetAsync(names.Workload(w), ct) is { Instances.Count: > 0 } status ? status.Instances[0].Address : null;

    /// <summary>
    /// What a workspace's Workload row asks for. <paramref name="workspaceId"/> null: a warm-pool container, whose
    /// labels name no workspace and no owner (it has neither yet) and stay so after the claim (<see cref="WorkloadDefinition.KindLabel"/>).
    /// </summary>
    public WorkloadDefinition Definition(WorkspaceKind kind, string image, string volume, string vncPasswordProtected, long? workspaceId, string? size = null)
    {
        var o = options.Value;
        return new WorkloadDefinition
        {
            Image = image,
            Resources = services.GetRequiredService<Sizes.WorkspaceSizes>().Resources(size),
            Volumes = [new VolumeMount(volume, o.HomePath)],
            SecretEnvironment = kind == WorkspaceKind.Desktop ? new() { [VncPasswordVariable] = vncPasswordProtected } : [],
            Labels = workspaceId is { } id ? new() { [WorkspaceLabel] = id.ToString(CultureInfo.InvariantCulture) } : [],
            KindLabel = workspaceId is null ? WarmPool.WorkloadKind : null,
        };
    }

    /// <summary>
    /// Runs the workspace's container. One whose container was last seen stopped had its network, volume and image
    /// when that container was made, so the three engine calls of <see cref="PrepareAsync"/> (one of them a volume
    /// create, a write on the engine) are skipped on the path a waiting person takes; should the start fail (the
    /// network was removed meanwhile, say), it prepares and tries once more.
    /// </summary>
    async Task<WorkloadStatus?> StartAsync(Workspace w, CancellationToken ct)
    {
        var id = names.Workload(w).Value;
        if (!await db.Workloads.AsNoTracking().AnyAsync(x => x.Id == id && x.ObservedState == WorkloadStates.Stopped, ct))
        {
            await PrepareAsync(w, ct);
            return await ApplyAsync(w, WorkloadStates.Running, ct);
        }
        try
        {
            return await ApplyAsync(w, WorkloadStates.Running, ct);
        }
        catch (PlatformException ex) when (ex is not PlatformUnavailableException)
        {
            log.LogInformation(ex, "Starting workspace {Workspace} without preparing failed; preparing and trying again", w.Id);
            await PrepareAsync(w, ct);
            return await ApplyAsync(w, WorkloadStates.Running, ct);
        }
    }

    /// <summary>The tenant network, the home volume and the image exist (all idempotent).</summary>
    async Task PrepareAsync(Workspace w, CancellationToken ct)
    {
        await EnsureTenantAsync(platform, w.OwnerId, ct);
        // The tenant label places the volume with its workload: on Kubernetes a claim lives in one
        // namespace, and only pods of that namespace (the owner's tenant) can mount it.
        await platform.EnsureVolumeAsync(names.Volume(w), new Dictionary<string, string>
        {
            [ControllerLabels.Scope] = names.Scope,
            [WorkspaceLabel] = w.Id.ToString(CultureInfo.InvariantCulture),
            [PlatformInfo.TenantLabel] = names.Tenant(w.OwnerId),
        }, ct);
        // An orchestrator's nodes pull when the workload starts (and it cannot pull ahead of time).
        if (platform.Features.Commit && await platform.InspectImageAsync(w.Image, ct) is null)
        {
            await platform.PullImageAsync(w.Image, names.CredentialsFor(w.Image), null, ct);
        }
    }

    async Task EnsureTenantAsync(IContainerPlatform platform, long ownerId, CancellationToken ct)
    {
        try
        {
            await platform.EnsureTenantNetworkAsync(names.Tenant(ownerId), options.Value.AllowEgress, ct);
        }
        catch (PlatformException ex) when (ex is not PlatformUnavailableException)
        {
            // Two jobs of one owner made the network at the same moment (the engine refuses the second
            // "same bridge name"); the other one's network is there now.
            log.LogInformation(ex, "Tenant network of {Owner} raced; ensuring it again", ownerId);
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            await platform.EnsureTenantNetworkAsync(names.Tenant(ownerId), options.Value.AllowEgress, ct);
        }
    }

    /// <summary>Writes the workspace's whole Workload request (image, volume, owner's tenant, desired state) and applies it now; what the engine then runs.</summary>
    async Task<WorkloadStatus?> ApplyAsync(Workspace w, string desired, CancellationToken ct)
    {
        await RequestAsync(w, desired, ct);
        return await conductor.ApplyAsync(names.Workload(w).Value, ct);
    }

    /// <summary>Writes the workspace's whole Workload request without applying it.</summary>
    async Task RequestAsync(Workspace w, string desired, CancellationToken ct)
    {
        var definition = Definition(w.Kind, w.Image, names.Volume(w), w.VncPasswordProtected, w.WorkloadId is null ? w.Id : null, w.Size);
        // A course workspace's classcloud command: its folder and token (issue 13).
        definition = await services.GetRequiredService<Assignments.WorkspaceCli.WorkspaceCliAccess>().AddAsync(w, names.Workload(w).Value, definition, ct);
        await conductor.RequestAsync(names.Workload(w).Value, WorkspaceNames.WorkloadKind, w.OwnerId, names.Tenant(w.OwnerId), definition, desired, ct);
    }

    /// <summary>
    /// Workload row (so the reconciler will not bring the container back), container, volume,
    /// snapshots nobody else uses, and the workspace row last. Every step is idempotent: a failure
    /// leaves the workspace in error with <see cref="Workspace.Deleting"/> set, and deleting again resumes.
    /// </summary>
    async Task DeleteAsync(Workspace w, CancellationToken ct)
    {
        var id = names.Workload(w);
        await services.GetRequiredService<Assignments.WorkspaceCli.WorkspaceCliAccess>().RevokeAsync(w.Id, ct); // the command stops working at once
        // A warm-pool entry claimed but never handed over (the hand-over failed) goes with the workspace.
        foreach (var entry in await db.WarmPoolEntries.Where(e => e.WorkspaceId == w.Id).ToListAsync(ct))
        {
            await RemoveWorkloadAsync(new WorkloadId(entry.Id), ct);
            await platform.RemoveVolumeAsync(entry.VolumeName, ct);
            db.WarmPoolEntries.Remove(entry);
        }
        await RemoveWorkloadAsync(id, ct);
        await platform.RemoveVolumeAsync(names.Volume(w), ct);
        var own = await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == w.Id).Select(s => s.Id).ToListAsync(ct);
        if (w.SnapshotId is { } source)
        {
            own.Add(source);
        }
        await collector.CollectAsync(own, ct);
        // Snapshots still used (a key, a loaded workspace) outlive the workspace with no workspace of their own.
        await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == w.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.WorkspaceId, (long?)null), ct);
        db.Workspaces.Remove(w);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Deleted workspace {Workspace}", w.Id);
    }

    /// <summary>The container goes, then its row (the conductor does both); with no row, only the container.</summary>
    async Task RemoveWorkloadAsync(WorkloadId id, CancellationToken ct)
    {
        if (await conductor.DesireAsync(id.Value, WorkloadStates.Removed, ct) is null)
        {
            await platform.RemoveAsync(id, ct);
            return;
        }
        await conductor.ApplyAsync(id.Value, ct);
    }

    async Task SetStateAsync(Workspace w, WorkspaceState state, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (state == WorkspaceState.Running && w.State != WorkspaceState.Running)
        {
            // A start (or a resume) counts as being seen: someone asked for it just now. Otherwise a visit from
            // before the last stop would make a fresh start idle at the next check (docs/workspaces.md "Idle stop").
            w.LastSeenAt = now;
        }
        w.State = state;
        if (state != WorkspaceState.Starting)
        {
            w.QueuedAt = null; // only a queued start keeps its place in the queue
        }
        w.Reason = WorkspaceReason.KeptThrough(w.Reason, state);
        w.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
    }
}
