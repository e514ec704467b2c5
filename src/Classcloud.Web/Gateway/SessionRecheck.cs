using Microsoft.Extensions.Options;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Open connections are checked against the rules again every <see cref="WorkspacesOptions.SessionRecheckInterval"/>
/// (<see cref="IGatewayTargets.StillAllowedAsync"/>), not only when they open: one whose user was disabled, lost
/// access (workspace made private, removed from the course) or lost control (guests turned to view only) is ended
/// with "access changed"; the page may connect again and is admitted under the rules as they are now.
/// </summary>
public sealed class SessionRecheck(IServiceScopeFactory scopes, WorkspacePresence presence, IOptions<WorkspacesOptions> options,
    ILogger<SessionRecheck> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionRecheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Checking open connections failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One look at every connection of this process; answers how many were ended.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var members = presence.Members();
        if (members.Count == 0)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var targets = scope.ServiceProvider.GetRequiredService<IGatewayTargets>();
        var ended = 0;
        // One question per workspace, person and control, however many tabs they have open.
        foreach (var group in members.GroupBy(m => (m.WorkspaceId, m.Entry.UserId, m.Entry.CanControl)))
        {
            if (await targets.StillAllowedAsync(group.Key.WorkspaceId, group.Key.UserId, group.Key.CanControl, ct))
            {
                continue;
            }
            foreach (var member in group)
            {
                member.Revoke();
                ended++;
            }
            log.LogInformation("Access of user {User} to workspace {Workspace} changed; ending their connections", group.Key.UserId, group.Key.WorkspaceId);
        }
        return ended;
    }
}
