using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>Who the command acts for: the workspace owner, never as an administrator, in the workspace's course only.</summary>
/// <param name="Culture">The reader's language ("en", "ko"); the route sets it on the request (a culture set inside an awaited method does not flow back out).</param>
public sealed record WorkspaceCliCaller(Caller Caller, long CourseId, long WorkspaceId, string Culture);

/// <summary>
/// Reads <c>Authorization: Bearer ccw_…</c>: a token whose row stands, of a workspace that is not being deleted and is
/// still the owner's and in the token's course, of an account that may sign in.
/// </summary>
public sealed class WorkspaceCliAuthentication(ClasscloudDb db)
{
    public async Task<Outcome<WorkspaceCliCaller>> AuthenticateAsync(string? authorization, CancellationToken ct)
    {
        var token = authorization is { } h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h["Bearer ".Length..].Trim() : "";
        if (!token.StartsWith(WorkspaceCliToken.Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return Refused;
        }
        var hash = SecretTokens.Hash(token);
        var row = await db.Set<WorkspaceCliToken>().AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row is null)
        {
            return Refused;
        }
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == row.WorkspaceId)
            .Select(w => new { w.OwnerId, w.CourseId, w.Deleting }).SingleOrDefaultAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == row.UserId).Select(u => new { u.Status, u.Culture }).SingleOrDefaultAsync(ct);
        if (workspace is null || workspace.Deleting || workspace.OwnerId != row.UserId || workspace.CourseId != row.CourseId
            || user is null || user.Status == AccountStatus.Disabled)
        {
            return Refused;
        }
        return new WorkspaceCliCaller(new Caller(row.UserId, IsAdmin: false), row.CourseId, row.WorkspaceId, user.Culture is "ko" ? "ko" : "en");
    }

    static Problem Refused => Problem.Unauthorized("This workspace's token is missing, unknown or revoked. Restart the workspace to get a new one.");
}
