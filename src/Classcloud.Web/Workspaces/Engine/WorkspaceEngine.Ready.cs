using Classcloud.Platform;

namespace Classcloud.Web.Workspaces;

public sealed partial class WorkspaceEngine
{
    /// <summary>
    /// Waits until the engine runs the workspace, so "running" means a terminal can attach. Calling a workspace
    /// running as soon as its Kubernetes Deployment was scaled up let a connection fail ("Pending: PodInitializing")
    /// and the state watcher take the pending pod for a crash; until the pod runs, the workspace stays "starting".
    /// </summary>
    Task UntilRunningAsync(Workspace w, CancellationToken ct) =>
        platform.UntilRunningAsync(names.Workload(w), options.Value.StartTimeout, time, ct);
}
