using Classcloud.Web.Courses;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>Which restarts the owner hears about: the engine's OOM flag and non-zero exits, not clean exits or vanished containers.</summary>
public sealed class CrashNoticeKindTests
{
    [Fact]
    public void Memory_kills_and_crashes_notify_while_clean_exits_and_removals_do_not()
    {
        Assert.Equal(NotificationKind.WorkspaceOutOfMemory, CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "oom")));
        Assert.Equal(NotificationKind.WorkspaceCrashed, CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "exit", "137")));
        Assert.Equal(NotificationKind.WorkspaceCrashed, CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "exit", "1")));
        Assert.Null(CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "exit", "0")));
        Assert.Null(CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "gone")));
        Assert.Null(CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.Restarting, "stopped")));
        Assert.Null(CrashNotices.KindOf(WorkspaceReason.Of(WorkspaceReason.CrashLoop, "exit 137")));
        Assert.Null(CrashNotices.KindOf(null));
    }
}
