using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Controller;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Carries out a workspace's state changes on the container platform. It does the platform calls
/// itself (so a start is one engine call away) and keeps the workspace's <see cref="Workload"/> row
/// (same id, kind "workspace") in step, so the reconciler adopts the container after a restart and
/// restarts it if it crashes while meant to run, and never undoes what this class did: the row's
/// desired state changes before the engine call, and a paused (suspended) container counts as running.
/// </summary>
public sealed class WorkspaceEngine(
    ClasscloudDb db, IServiceProvider services, WorkspaceNames names, SnapshotCollector collector, IOptions<WorkspacesOptions> options,
    IDataProtectionProvider protection, TimeProvider time, ILogger<WorkspaceEngine> log)
{
    public const string VncPasswordVariable = "CLASSCLOUD_VNC_PASSWORD";
    public const string WorkspaceLabel = PlatformInfo.LabelPrefix + "workspace";

    IContainerPlatform Platform => services.GetService<IContainerPlatform>()
        ?? throw new PlatformUnavailableException("The container platform is not enabled on this host (Classcloud:Platform:Enabled).");

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
                await Platform.CreateAsync(await SyncWorkloadAsync(w, WorkloadStates.Stopped, ct), ct);
                await SetStateAsync(w, WorkspaceStates.Stopped, ct);
                break;
            case WorkspaceJobKind.Start:
                if (job.SnapshotId is { } sid)
                {
                    var snapshot = await db.WorkspaceSnapshots.SingleAsync(s => s.Id == sid, ct);
                    (w.Image, w.SnapshotId) = (snapshot.Image, snapshot.Id);
                }
                await PrepareAsync(w, ct);
                await Platform.EnsureAsync(await SyncWorkloadAsync(w, WorkloadStates.Running, ct), ct);
                await SetStateAsync(w, WorkspaceStates.Running, ct);
                break;
            case WorkspaceJobKind.Stop:
                await SyncWorkloadAsync(w, WorkloadStates.Stopped, ct);
                var id = names.Workload(w);
                if (Platform.Features.Pause)
                {
                    // A suspended workspace is thawed first; a platform without pause (Kubernetes) never froze it.
                    await Platform.UnpauseAsync(id, ct);
                }
                await Platform.StopAsync(id, ct);
                await SetStateAsync(w, WorkspaceStates.Stopped, ct);
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
        await Platform.PauseAsync(names.Workload(w), ct);
        await SetStateAsync(w, WorkspaceStates.Suspended, ct);
    }

    /// <summary>Thaws a suspended workspace (a connection arrived); about 50 ms on the engine.</summary>
    public async Task ResumeAsync(Workspace w, CancellationToken ct)
    {
        await Platform.UnpauseAsync(names.Workload(w), ct);
        await SetStateAsync(w, WorkspaceStates.Running, ct);
    }

    /// <summary>Where the workspace's first replica is on its tenant network, while it runs.</summary>
    public async Task<string?> AddressAsync(Workspace w, CancellationToken ct) =>
        await Platform.GetAsync(names.Workload(w), ct) is { Instances.Count: > 0 } status ? status.Instances[0].Address : null;

    /// <summary>
    /// Hands a claimed warm-pool container to its workspace: the workspace takes over the entry's workload, volume
    /// and VNC password, the Workload row becomes the owner's (desired state first, so the reconciler agrees), the
    /// container moves to the owner's tenant network, and the workspace is running. Every step is idempotent, so
    /// a hand-over cut short is finished by the create job (<see cref="RunAsync"/>).
    /// </summary>
    public async Task HandOverAsync(Workspace w, WarmPoolEntry entry, CancellationToken ct)
    {
        // This host's reconciler keeps off meanwhile (it would move the container too); another host's is harmless, moves are idempotent.
        using var hold = services.GetRequiredService<ReconcilerWake>().Hold(entry.Id);
        await TakeOverAsync(w, entry, ct);
        await Platform.MoveTenantAsync(names.Workload(w), names.Tenant(w.OwnerId), ct);
        db.WarmPoolEntries.Remove(entry);
        await SetStateAsync(w, WorkspaceStates.Running, ct);
        log.LogInformation("Workspace {Workspace} took warm-pool entry {Entry}", w.Id, entry.Id);
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
        await EnsureTenantAsync(Platform, w.OwnerId, ct);
        (w.WorkloadId, w.VolumeName, w.VncPasswordProtected) = (entry.Id, entry.VolumeName, entry.VncPasswordProtected);
        await SyncWorkloadAsync(w, WorkloadStates.Running, ct);
        if (w.State != WorkspaceStates.Running)
        {
            await SetStateAsync(w, WorkspaceStates.Running, ct);
        }
    }

    /// <summary>
    /// What a workspace's Workload row asks for. <paramref name="workspaceId"/> null: a warm-pool container, whose
    /// labels name no workspace and no owner (it has neither yet) and stay so after the claim (<see cref="WorkloadDefinition.KindLabel"/>).
    /// </summary>
    public WorkloadDefinition Definition(WorkspaceKind kind, string image, string volume, string vncPasswordProtected, long? workspaceId)
    {
        var o = options.Value;
        return new WorkloadDefinition
        {
            Image = image,
            Resources = new WorkloadResources(o.Cpus, o.MemoryBytes, o.Pids),
            Volumes = [new VolumeMount(volume, o.HomePath)],
            SecretEnvironment = kind == WorkspaceKind.Desktop ? new() { [VncPasswordVariable] = vncPasswordProtected } : [],
            Labels = workspaceId is { } id ? new() { [WorkspaceLabel] = id.ToString(CultureInfo.InvariantCulture) } : [],
            KindLabel = workspaceId is null ? WarmPool.WorkloadKind : null,
        };
    }

    /// <summary>The tenant network, the home volume and the image exist (all idempotent).</summary>
    async Task PrepareAsync(Workspace w, CancellationToken ct)
    {
        var platform = Platform;
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

    /// <summary>Writes the Workload row (desired state first, so the reconciler agrees) and returns the spec to apply.</summary>
    async Task<WorkloadSpec> SyncWorkloadAsync(Workspace w, string desired, CancellationToken ct)
    {
        var definition = Definition(w.Kind, w.Image, names.Volume(w), w.VncPasswordProtected, w.WorkloadId is null ? w.Id : null);
        var id = names.Workload(w).Value;
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Workloads.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (row is null)
        {
            row = new Workload { Id = id, CreatedAt = now };
            db.Workloads.Add(row);
        }
        row.Kind = WorkspaceNames.WorkloadKind;
        row.OwnerId = w.OwnerId;
        row.Tenant = names.Tenant(w.OwnerId);
        row.SpecJson = definition.ToJson();
        row.DesiredState = desired;
        row.UpdatedAt = now;
        if (desired == WorkloadStates.Running)
        {
            // An explicit start gives a crashed workspace a fresh chance.
            row.NextRetryAt = null;
            row.CrashLoop = false;
            row.WindowRestarts = 0;
        }
        w.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return definition.ToSpec(row, names.Scope, protection.CreateProtector(WorkloadDefinition.SecretPurpose));
    }

    /// <summary>
    /// Commit → push as the next immutable tag → snapshot row; bytes pushed are written as progress. A platform
    /// that cannot commit (Kubernetes) gets the workspace's image plus a home layer instead (<see cref="LayeredSave"/>).
    /// </summary>
    async Task SaveAsync(Workspace w, CancellationToken ct)
    {
        var platform = Platform;
        var number = (await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == w.Id).MaxAsync(s => (int?)s.Number, ct) ?? 0) + 1;
        var reference = names.Snapshot(w.OwnerId, w.Id, number);
        var progress = new ProgressWriter(services, w.Id, time);
        var (digest, size) = platform.Features.Commit
            ? await CommitAndPushAsync(platform, w, reference, progress, ct)
            : await LayerHomeAsync(w, reference, progress, ct);
        await progress.FlushAsync(ct);
        db.WorkspaceSnapshots.Add(new WorkspaceSnapshot
        {
            WorkspaceId = w.Id,
            OwnerId = w.OwnerId,
            Number = number,
            Kind = w.Kind,
            Image = reference,
            Digest = digest,
            SizeBytes = size,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        w.ProgressBytes = null;
        // Progress was written by another context: this one still believes it is null.
        db.Entry(w).Property(x => x.ProgressBytes).IsModified = true;
        await SetStateAsync(w, WorkspaceStates.Stopped, ct);
        log.LogInformation("Saved workspace {Workspace} as {Image}", w.Id, reference);
    }

    /// <summary>The Docker path: the container's whole file system (packages too) plus home, pushed by the engine.</summary>
    async Task<(string? Digest, long Size)> CommitAndPushAsync(IContainerPlatform platform, Workspace w, string reference, ProgressWriter progress, CancellationToken ct)
    {
        await platform.CommitAsync(names.Workload(w), 0, reference, ct);
        await services.GetRequiredService<HomeArchiver>().AddHomeAsync(reference, names.Volume(w), names.Helper(w.Id), ct);
        await platform.PushImageAsync(reference, names.Registry.Credentials, new PushProgress(progress.Report), ct);
        var image = await platform.InspectImageAsync(reference, ct);
        var digest = image is { Digests.Count: > 0 } ? image.Digests[0][(image.Digests[0].IndexOf('@', StringComparison.Ordinal) + 1)..] : null;
        return (digest, image?.SizeBytes ?? 0);
    }

    /// <summary>The path without commit: the workspace's image plus a home layer, pushed through the registry API.</summary>
    async Task<(string? Digest, long Size)> LayerHomeAsync(Workspace w, string reference, ProgressWriter progress, CancellationToken ct)
    {
        var image = await services.GetRequiredService<LayeredSave>().SaveAsync(w, reference, progress.Report, ct);
        return (image.Digest, image.SizeBytes);
    }

    /// <summary>
    /// Workload row (so the reconciler will not bring the container back), container, volume,
    /// snapshots nobody else uses, and the workspace row last. Every step is idempotent: a failure
    /// leaves the workspace in error with <see cref="Workspace.Deleting"/> set, and deleting again resumes.
    /// </summary>
    async Task DeleteAsync(Workspace w, CancellationToken ct)
    {
        var id = names.Workload(w);
        await db.Workloads.Where(x => x.Id == id.Value).ExecuteDeleteAsync(ct);
        var platform = Platform;
        // A warm-pool entry claimed but never handed over (the hand-over failed) goes with the workspace.
        foreach (var entry in await db.WarmPoolEntries.Where(e => e.WorkspaceId == w.Id).ToListAsync(ct))
        {
            await db.Workloads.Where(x => x.Id == entry.Id).ExecuteDeleteAsync(ct);
            await platform.RemoveAsync(new WorkloadId(entry.Id), ct);
            await platform.RemoveVolumeAsync(entry.VolumeName, ct);
            db.WarmPoolEntries.Remove(entry);
        }
        await platform.RemoveAsync(id, ct);
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

    async Task SetStateAsync(Workspace w, string state, CancellationToken ct)
    {
        w.State = state;
        w.Reason = null;
        w.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Writes bytes pushed to the row at most twice a second, on its own database context.</summary>
    sealed class ProgressWriter(IServiceProvider services, long workspaceId, TimeProvider time)
    {
        long latest;
        long written = -1;
        DateTimeOffset last;
        Task pending = Task.CompletedTask;

        public void Report(long bytes)
        {
            Interlocked.Exchange(ref latest, bytes);
            var now = time.GetUtcNow();
            if (now - last >= TimeSpan.FromMilliseconds(500) && pending.IsCompleted)
            {
                last = now;
                pending = WriteAsync(CancellationToken.None);
            }
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            await pending;
            await WriteAsync(ct);
        }

        async Task WriteAsync(CancellationToken ct)
        {
            var bytes = Interlocked.Read(ref latest);
            if (bytes == written)
            {
                return;
            }
            written = bytes;
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ProgressBytes, bytes), ct);
        }
    }
}
