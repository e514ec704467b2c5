using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The warm pool (issue 5 "Fast start (1)", like Coder's prebuilds and Kasm's staging): pre-started workspace
/// containers per base image and per course environment, each with a fresh home volume, on an internal pool
/// network. A create claims one with one conditional UPDATE (two creates never take the same entry) and hands
/// it over running; the refiller (<see cref="RefillAsync"/>) keeps each pool at size within the capacity budget
/// and replaces stale entries. Off unless a size is set, and off on a platform that cannot move tenants.
/// </summary>
public sealed class WarmPool(
    ClasscloudDb db, IContainerPlatform platform, IServiceProvider services, WorkspaceEngine engine, WorkspaceNames names, WorkspaceAdmission admission,
    WorkloadConductor conductor, IOptions<WorkspacesOptions> options, IDataProtectionProvider protection, TimeProvider time, ILogger<WarmPool> log)
{
    /// <summary>The Workload kind (and kind label, kept after the claim) of pool containers.</summary>
    public const string WorkloadKind = "workspace-pool";

    public const string PoolLabel = PlatformInfo.LabelPrefix + "warm-pool";

    public static string Key(WorkspaceKind kind) => kind == WorkspaceKind.Desktop ? "desktop" : "terminal";

    public static string Key(long environmentId) => $"environment-{environmentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The platform, when it can move a container between tenants; null: no pool here.</summary>
    IContainerPlatform? Platform => platform.Features.TenantMove ? platform : null;

    /// <summary>
    /// Claims a ready entry of <paramref name="pool"/> running exactly <paramref name="w"/>'s image and takes it
    /// over (the workspace is then running; the create job moves it to the owner's network). True when one was
    /// claimed; false when the pool is off or empty (the normal create path follows).
    /// </summary>
    public async Task<bool> TryClaimAsync(Workspace w, string pool, CancellationToken ct)
    {
        if (!options.Value.WarmPool.Enabled || Platform is null)
        {
            return false;
        }
        var candidates = await db.WarmPoolEntries.AsNoTracking()
            .Where(e => e.Pool == pool && e.Ready && e.WorkspaceId == null && e.Image == w.Image && e.Kind == w.Kind)
            .OrderBy(e => e.CreatedAt).Select(e => e.Id).Take(4).ToListAsync(ct);
        foreach (var id in candidates)
        {
            // The claim: whoever sets WorkspaceId first has it; a concurrent create or the refiller's removal finds 0 rows.
            if (await db.WarmPoolEntries.Where(e => e.Id == id && e.WorkspaceId == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.WorkspaceId, w.Id), ct) != 1)
            {
                continue;
            }
            services.GetService<WarmPoolRefiller>()?.Wake();
            var entry = await db.WarmPoolEntries.SingleAsync(e => e.Id == id, ct);
            try
            {
                // The network and the rows here (not the request's token: a closed connection must not leave half
                // of them); the move to the owner's network is the create job's, after the answer.
                await engine.TakeOverAsync(w, entry, CancellationToken.None);
            }
            catch (Exception ex) when (ex is PlatformException or DbUpdateException or InvalidOperationException)
            {
                log.LogWarning(ex, "Taking warm-pool entry {Entry} for workspace {Workspace} failed; the create job finishes it", id, w.Id);
            }
            return true;
        }
        return false;
    }

    /// <summary>One refill pass: removes stale or surplus entries, then makes missing ones while the capacity budget has room.</summary>
    public async Task RefillAsync(CancellationToken ct)
    {
        if (Platform is not { } platform)
        {
            return;
        }
        var wanted = await WantedAsync(ct);
        var entries = await db.WarmPoolEntries.AsNoTracking().Where(e => e.WorkspaceId == null).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var imageIds = new Dictionary<string, string?>(StringComparer.Ordinal);
        var now = time.GetUtcNow().UtcDateTime;
        var kept = new List<WarmPoolEntry>();
        foreach (var e in entries)
        {
            var want = wanted.FirstOrDefault(x => x.Pool == e.Pool);
            var why = want is null ? "its pool is off or gone"
                : want.Image != e.Image ? "its pool runs another image now"
                : !e.Ready && now - e.CreatedAt > options.Value.WarmPool.MakeTimeout ? "making it was interrupted"
                : e.Ready && await ImageIdAsync(platform, e.Image, imageIds, ct) is { } current && current != e.ImageId ? $"{e.Image} was updated"
                : kept.Count(k => k.Pool == e.Pool) >= want.Size ? "its pool is smaller now"
                : null;
            if (why is null)
            {
                kept.Add(e);
            }
            else
            {
                await RemoveAsync(platform, e, why, ct);
            }
        }
        foreach (var want in wanted)
        {
            for (var have = kept.Count(k => k.Pool == want.Pool); have < want.Size; have++)
            {
                if (!await admission.PoolMayGrowAsync(ct))
                {
                    return; // at capacity, or people wait for it: the pool waits
                }
                if (!await MakeAsync(platform, want, ct))
                {
                    return; // the next pass tries again
                }
            }
        }
    }

    /// <summary>Removes one unclaimed entry (the newest) so a waiting start gets its capacity; false when there is none.</summary>
    public async Task<bool> EvictOneAsync(CancellationToken ct)
    {
        if (Platform is not { } platform || await db.WarmPoolEntries.AsNoTracking().Where(e => e.WorkspaceId == null)
            .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct) is not { } entry)
        {
            return false;
        }
        return await RemoveAsync(platform, entry, "a start waits for capacity", ct);
    }

    sealed record Wanted(string Pool, WorkspaceKind Kind, string Image, int Size);

    async Task<List<Wanted>> WantedAsync(CancellationToken ct)
    {
        var o = options.Value.WarmPool;
        var wanted = new List<Wanted>();
        if (o.Terminal > 0)
        {
            wanted.Add(new(Key(WorkspaceKind.Terminal), WorkspaceKind.Terminal, names.BaseImage(WorkspaceKind.Terminal), o.Terminal));
        }
        if (o.Desktop > 0)
        {
            wanted.Add(new(Key(WorkspaceKind.Desktop), WorkspaceKind.Desktop, names.BaseImage(WorkspaceKind.Desktop), o.Desktop));
        }
        if (o.PerEnvironment > 0)
        {
            var environments = await db.CourseEnvironments.AsNoTracking()
                .Join(db.WorkspaceSnapshots, e => e.SnapshotId, s => s.Id, (e, s) => new { e.Id, e.Kind, s.Image })
                .OrderBy(e => e.Id).ToListAsync(ct);
            wanted.AddRange(environments.Select(e => new Wanted(Key(e.Id), e.Kind, e.Image, o.PerEnvironment)));
        }
        return wanted;
    }

    /// <summary>Makes one entry: rows first (so the reconciler keeps it and a restart adopts it), then the container; ready once it runs.</summary>
    async Task<bool> MakeAsync(IContainerPlatform platform, Wanted want, CancellationToken ct)
    {
        var id = names.PoolWorkload();
        var volume = $"{id.Value}-home";
        var secrets = protection.CreateProtector(WorkloadDefinition.SecretPurpose);
        var vnc = secrets.Protect(WorkspaceService.NewVncPassword());
        var definition = engine.Definition(want.Kind, want.Image, volume, vnc, workspaceId: null);
        var now = time.GetUtcNow().UtcDateTime;
        var entry = new WarmPoolEntry
        {
            Id = id.Value, Pool = want.Pool, Kind = want.Kind, Image = want.Image, VolumeName = volume,
            VncPasswordProtected = vnc, CreatedAt = now,
        };
        db.WarmPoolEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        try
        {
            await platform.EnsureVolumeAsync(volume, new Dictionary<string, string> { [ControllerLabels.Scope] = names.Scope, [PoolLabel] = want.Pool }, ct);
            var image = await platform.InspectImageAsync(want.Image, ct);
            if (image is null)
            {
                await platform.PullImageAsync(want.Image, names.CredentialsFor(want.Image), null, ct);
                image = await platform.InspectImageAsync(want.Image, ct);
            }
            // No tenant: the container waits on no network at all, reachable by nobody, so a claimed one can be
            // answered "running" at once and moved to its owner's network after the request (MoveTenantAsync).
            await conductor.RequestAsync(id.Value, WorkloadKind, ownerId: null, tenant: null, definition, WorkloadStates.Running, ct);
            await conductor.ApplyAsync(id.Value, ct);
            entry.ImageId = image?.Id;
            entry.Ready = true;
            await db.SaveChangesAsync(ct);
            log.LogInformation("Warm pool {Pool}: made {Entry}", want.Pool, id);
            return true;
        }
        catch (Exception ex) when (ex is PlatformException or ArgumentException)
        {
            log.LogWarning(ex, "Warm pool {Pool}: making an entry failed", want.Pool);
            await RemoveAsync(platform, entry, "making it failed", ct);
            return false;
        }
    }

    /// <summary>Rows first (a conditional delete: a claimed entry is never removed), then container and volume.</summary>
    async Task<bool> RemoveAsync(IContainerPlatform platform, WarmPoolEntry entry, string why, CancellationToken ct)
    {
        if (await db.WarmPoolEntries.Where(e => e.Id == entry.Id && e.WorkspaceId == null).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        db.ChangeTracker.Clear();
        log.LogInformation("Warm pool {Pool}: removing {Entry}, {Why}", entry.Pool, entry.Id, why);
        try
        {
            if (await conductor.DesireAsync(entry.Id, WorkloadStates.Removed, ct) is not null)
            {
                await conductor.ApplyAsync(entry.Id, ct);
            }
            await platform.RemoveVolumeAsync(entry.VolumeName, ct);
        }
        catch (PlatformException ex)
        {
            // The container is an orphan now (no row): the reconciler removes it; the volume stays until then.
            log.LogWarning(ex, "Warm pool: removing {Entry} from the engine failed", entry.Id);
        }
        return true;
    }

    /// <summary>The engine's id of the image a reference names now (once per pass per image); null when it is not on the engine.</summary>
    static async Task<string?> ImageIdAsync(IContainerPlatform platform, string image, Dictionary<string, string?> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(image, out var id))
        {
            id = (await platform.InspectImageAsync(image, ct))?.Id;
            cache[image] = id;
        }
        return id;
    }
}
