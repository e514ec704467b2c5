using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>A create taking a ready warm-pool container (<see cref="WarmPool"/>): one conditional UPDATE, so two creates never take the same entry.</summary>
public sealed class WarmPoolClaim(
    ClasscloudDb db, IContainerPlatform platform, IServiceProvider services, WorkspaceEngine engine, IOptions<WorkspacesOptions> options, ILogger<WarmPoolClaim> log)
{
    /// <summary>
    /// Claims a ready entry of <paramref name="pool"/> running exactly <paramref name="w"/>'s image and takes it
    /// over (the workspace is then running; the create job moves it to the owner's network). True when one was
    /// claimed; false when the pool is off or empty (the normal create path follows).
    /// </summary>
    public async Task<bool> TryClaimAsync(Workspace w, string pool, CancellationToken ct)
    {
        if (!options.Value.WarmPool.Enabled || WarmPool.Usable(platform) is null)
        {
            return false;
        }
        var clock = System.Diagnostics.Stopwatch.GetTimestamp();
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
            log.LogDebug("Workspace {Workspace} claimed warm-pool entry {Entry} in {Elapsed:0} ms", w.Id, id, System.Diagnostics.Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
            return true;
        }
        return false;
    }
}
