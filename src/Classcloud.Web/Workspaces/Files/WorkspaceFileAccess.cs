using Classcloud.Platform;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>A running workspace whose home the caller may read and write: where its container is and where home is in it.</summary>
public sealed record HomeTarget(long WorkspaceId, WorkloadId Workload, string Home);

/// <summary>
/// Who may move files into and out of a workspace's home, and when: those who control it (the owner, administrators,
/// guests the workspace lets control), never a watcher, who sees the screen but does not act on the workspace; others
/// are told there is no such workspace. Only while it runs, since the files are moved by programs in its container;
/// a suspended one is resumed, as a connection would.
/// </summary>
public sealed class WorkspaceFileAccess(WorkspaceReader reader, WorkspaceEngine engine, WorkspaceNames names, IOptions<WorkspacesOptions> options)
{
    public async Task<Outcome<HomeTarget>> OpenAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await reader.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanControl)
        {
            return Problem.Forbidden("Only people who control this workspace can upload or download its files; you are watching it.");
        }
        var w = access.Workspace;
        if (w.State == WorkspaceState.Suspended)
        {
            try
            {
                await engine.ResumeAsync(w, ct);
            }
            catch (PlatformException ex)
            {
                return Problem.Conflict("The workspace could not be resumed: {0}", ex.Message);
            }
        }
        else if (w.State != WorkspaceState.Running)
        {
            return Problem.Conflict("The workspace is {0}; files can be moved only while it runs. Start it first.",
                Sentences.Format(WorkspaceWords.StateKey(WorkspaceLifecycle.Word(w.State)), []));
        }
        return new HomeTarget(w.Id, names.Workload(w), options.Value.HomePath);
    }
}
