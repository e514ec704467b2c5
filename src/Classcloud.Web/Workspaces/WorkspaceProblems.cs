using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The refusals every workspace use case shares. They keep their English sentence and are worded when read
/// (<see cref="Problem.Detail"/>), so the slices that say no need no localizer.
/// </summary>
public static class WorkspaceProblems
{
    public static Problem NoSuchWorkspace => Problem.NotFound("No such workspace.");

    public static Problem NotOwner => Problem.Forbidden("Only the owner of this workspace (or an administrator) can do this.");

    /// <summary>The job queue is full: try again, nothing was changed.</summary>
    public static Problem Busy => new(StatusCodes.Status503ServiceUnavailable, "Too many workspace actions are waiting; try again in a moment.");

    /// <summary>The action is not allowed in the workspace's state; the state and action are words of the sentence, so they are worded too.</summary>
    public static Problem WrongState(Workspace w, string action) =>
        Problem.Conflict("The workspace is {0}; it cannot {1} now.", Sentences.Format(WorkspaceLifecycle.Word(w.State), []), Sentences.Format(action, []));
}
