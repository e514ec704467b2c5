using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Gateway;
using Classcloud.Web.Orchestration;

namespace Classcloud.Web.Workspaces;

/// <summary>Makes one warm-pool entry: its rows, its volume, its image (pulled if missing) and its running container, on no network.</summary>
public sealed class WarmPoolMaker(ClasscloudDb db, WarmPoolRecipe recipe, WorkloadConductor conductor, WarmPoolRemoval removal, ILogger<WarmPoolMaker> log)
{
    /// <summary>Makes one entry: rows first (so the reconciler keeps it and a restart adopts it), then the container; ready once it runs.</summary>
    public async Task<bool> MakeAsync(IContainerPlatform platform, WarmPoolWant want, CancellationToken ct)
    {
        var (entry, definition) = recipe.New(want);
        var id = new WorkloadId(entry.Id);
        var volume = entry.VolumeName;
        db.WarmPoolEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        try
        {
            await platform.EnsureVolumeAsync(volume, new Dictionary<string, string> { [ControllerLabels.Scope] = recipe.Scope, [WarmPool.PoolLabel] = want.Pool }, ct);
            var image = await platform.InspectImageAsync(want.Image, ct);
            if (image is null)
            {
                await platform.PullImageAsync(want.Image, recipe.CredentialsFor(want.Image), null, ct);
                image = await platform.InspectImageAsync(want.Image, ct);
            }
            // No tenant: the container waits on no network at all, reachable by nobody, so a claimed one can be
            // answered "running" at once and moved to its owner's network after the request (MoveTenantAsync).
            await conductor.RequestAsync(id.Value, WarmPool.WorkloadKind, ownerId: null, tenant: null, definition, WorkloadStates.Running, ct);
            await conductor.ApplyAsync(id.Value, ct);
            if (entry.Kind == WorkspaceKind.Terminal)
            {
                await PrestartAsync(platform, id, ct);
            }
            entry.ImageId = image?.Id;
            entry.Ready = true;
            await db.SaveChangesAsync(ct);
            log.LogInformation("Warm pool {Pool}: made {Entry}", want.Pool, id);
            return true;
        }
        catch (Exception ex) when (ex is PlatformException or ArgumentException)
        {
            log.LogWarning(ex, "Warm pool {Pool}: making an entry failed", want.Pool);
            await removal.RemoveAsync(platform, entry, "making it failed", ct);
            return false;
        }
    }

    /// <summary>
    /// The terminal's tmux session, made now (<see cref="TerminalBridge.Prestart"/>): the owner's first connection then
    /// attaches to a running tmux instead of starting one. Optional: an image without tmux still makes a usable entry.
    /// </summary>
    async Task PrestartAsync(IContainerPlatform platform, WorkloadId id, CancellationToken ct)
    {
        try
        {
            var result = await platform.RunAsync(id, TerminalBridge.Prestart(), ct);
            if (result.ExitCode != 0)
            {
                log.LogDebug("Warm-pool entry {Entry}: no tmux session made ahead (exit {Code}: {Output})", id, result.ExitCode, result.Stderr);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogDebug(ex, "Warm-pool entry {Entry}: no tmux session made ahead", id);
        }
    }
}
