using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The warm pool (issue 5 "Fast start (1)", like Coder's prebuilds and Kasm's staging): pre-started workspace
/// containers per base image and per course environment, each with a fresh home volume, on an internal pool
/// network. A create claims one with one conditional UPDATE (<see cref="WarmPoolClaim"/>: two creates never take the
/// same entry) and hands it over running; the refiller (<see cref="RefillAsync"/>) keeps each pool at size within the
/// capacity budget and replaces stale entries (<see cref="WarmPoolPlan"/> says which, <see cref="WarmPoolMaker"/> and
/// <see cref="WarmPoolRemoval"/> do it). Off unless a size is set, and off on a platform that cannot move tenants.
/// </summary>
public sealed class WarmPool(
    ClasscloudDb db, IContainerPlatform platform, WarmPoolPlan plan, WorkspaceAdmission admission, WarmPoolMaker maker, WarmPoolRemoval removal)
{
    /// <summary>The Workload kind (and kind label, kept after the claim) of pool containers.</summary>
    public const string WorkloadKind = "workspace-pool";

    public const string PoolLabel = PlatformInfo.LabelPrefix + "warm-pool";

    public static string Key(WorkspaceKind kind) => kind == WorkspaceKind.Desktop ? "desktop" : "terminal";

    public static string Key(long environmentId) => $"environment-{environmentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The platform, when it can move a container between tenants; null: no pool here.</summary>
    internal static IContainerPlatform? Usable(IContainerPlatform platform) => platform.Features.TenantMove ? platform : null;

    /// <summary>One refill pass: removes stale or surplus entries, then makes missing ones while the capacity budget has room.</summary>
    public async Task RefillAsync(CancellationToken ct)
    {
        if (Usable(platform) is not { } usable)
        {
            return;
        }
        var wanted = await plan.WantedAsync(ct);
        var entries = await db.WarmPoolEntries.AsNoTracking().Where(e => e.WorkspaceId == null).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var (kept, stale) = await plan.JudgeAsync(usable, wanted, entries, ct);
        foreach (var (entry, why) in stale)
        {
            await removal.RemoveAsync(usable, entry, why, ct);
        }
        foreach (var want in wanted)
        {
            for (var have = kept.Count(k => k.Pool == want.Pool); have < want.Size; have++)
            {
                if (!await admission.PoolMayGrowAsync(ct))
                {
                    return; // at capacity, or people wait for it: the pool waits
                }
                if (!await maker.MakeAsync(usable, want, ct))
                {
                    return; // the next pass tries again
                }
            }
        }
    }
}
