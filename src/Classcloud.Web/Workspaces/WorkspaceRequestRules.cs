using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>What a workspace's settings must meet, on create, edit and load alike.</summary>
public sealed class WorkspaceRequestRules(WorkspaceAccessRules rules)
{
    /// <summary>Name, description, visibility, guest access and a course the caller teaches or takes; null when all hold.</summary>
    public async Task<Problem?> CheckAsync(Caller caller, string? name, string? description, string? visibility, string? guests, long? courseId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > WorkspaceLimits.Name)
        {
            return Problem.BadRequest("A workspace needs a name of at most {0} characters.", WorkspaceLimits.Name);
        }
        if (description?.Length > WorkspaceLimits.Description)
        {
            return Problem.BadRequest("The description can have at most {0} characters.", WorkspaceLimits.Description);
        }
        if (WorkspaceWords.Visibility(visibility ?? "private") is null)
        {
            return Problem.BadRequest("The visibility must be private or public.");
        }
        if (WorkspaceWords.Guests(guests ?? "view") is null)
        {
            return Problem.BadRequest("Guest access must be view or control.");
        }
        if (courseId is { } course && !await rules.BelongsToCourseAsync(course, caller.UserId, ct))
        {
            return Problem.BadRequest("A workspace can be linked only to a course you teach or take.");
        }
        return null;
    }
}
