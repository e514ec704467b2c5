using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// Tells a workspace's owner in-app (the bell, "My news") that its container crashed or ran out of memory
/// (issue 16, seed 004 REQ-004-002). The state watcher calls it once per crash: only the watcher whose
/// conditional update moved the workspace to <c>restarting</c> gets here, so two passes or two processes
/// never tell the owner twice about one crash.
/// </summary>
public sealed class CrashNotices(ClasscloudDb db, Notifier notifier, ILogger<CrashNotices> log)
{
    /// <summary>Adds and saves the owner's notification for a restart with <paramref name="reason"/>; nothing for a clean exit or a vanished container.</summary>
    public async Task RestartedAsync(long workspaceId, string? reason, CancellationToken ct)
    {
        var kind = KindOf(reason);
        if (kind is null)
        {
            return;
        }
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId)
            .Select(w => new { w.OwnerId, w.Name }).SingleOrDefaultAsync(ct);
        if (workspace is null)
        {
            return;
        }
        try
        {
            notifier.Add(workspace.OwnerId, kind.Value, workspace.Name, new Actor(null, "")); // the engine did it, no person
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The watcher goes on with the other workspaces of its pass; this notice is lost, the restart is not.
            db.ChangeTracker.Clear();
            log.LogWarning(ex, "The crash notice for workspace {Workspace} could not be saved", workspaceId);
            return;
        }
        log.LogInformation("Told user {User} that workspace {Workspace} restarted ({Kind})", workspace.OwnerId, workspaceId, kind);
    }

    /// <summary>
    /// Out of memory when the engine flagged it; a crash for any other non-zero exit code. A container that exited
    /// with 0 or vanished (removed by hand, an engine reset) did not crash, so its owner is not alarmed.
    /// </summary>
    public static NotificationKind? KindOf(string? reason)
    {
        if (WorkspaceReason.Code(reason) != WorkspaceReason.Restarting)
        {
            return null;
        }
        var args = WorkspaceReason.Args(reason);
        return args switch
        {
            ["oom", ..] => NotificationKind.WorkspaceOutOfMemory,
            ["exit", var code, ..] when code != "0" => NotificationKind.WorkspaceCrashed,
            _ => null,
        };
    }
}
