using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Shares this gateway process's presence with the others through the database: on every join and leave,
/// and every <see cref="WorkspacesOptions.PresenceHeartbeat"/> while anyone is connected, it writes
/// <see cref="Workspace.LastSeenAt"/> = now for the workspaces with connections here (and, once, for those
/// whose last connection just left). The idle watcher, in whichever process it runs, reads that column, so
/// a web- or controller-only process never takes a workspace in use here for idle.
/// </summary>
public sealed class PresenceHeartbeat(IServiceScopeFactory scopes, WorkspacePresence presence, IOptions<WorkspacesOptions> options, TimeProvider time,
    ILogger<PresenceHeartbeat> log) : BackgroundService
{
    /// <summary>Bounds one write; a host with more connected workspaces writes them over several statements.</summary>
    const int Batch = 500;

    HashSet<long> lastWritten = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await presence.Changed.WaitAsync(options.Value.PresenceHeartbeat, stoppingToken))
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Could not write the gateway's presence");
            }
        }
    }

    /// <summary>One write: the workspaces connected now and those left since the last write.</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        var connected = presence.Connected().ToHashSet();
        var ids = connected.Union(lastWritten).ToList();
        if (ids.Count > 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            foreach (var chunk in ids.Chunk(Batch))
            {
                await db.Workspaces.Where(w => chunk.Contains(w.Id)).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now), ct);
            }
        }
        lastWritten = connected;
    }
}
