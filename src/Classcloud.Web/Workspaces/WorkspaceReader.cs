using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Finding and showing workspaces: one (if the caller may see it), the caller's lists, the public directory and
/// a workspace's snapshots. Every other workspace use case opens its row through <see cref="OpenAsync"/>.
/// </summary>
public sealed class WorkspaceReader(ClasscloudDb db, WorkspaceAccessRules rules, WorkspaceAdmission admission, IStringLocalizer<SharedResource> t)
{
    public const int MaxListed = 200;

    /// <summary>The row with what the caller may do with it; "no such workspace" when the caller may not see it (so its existence does not leak).</summary>
    public async Task<Outcome<WorkspaceAccess>> OpenAsync(long id, Caller caller, CancellationToken ct)
    {
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (workspace is null)
        {
            return WorkspaceProblems.NoSuchWorkspace;
        }
        var access = await rules.AccessAsync(workspace, caller, ct);
        return access.CanSee ? access : WorkspaceProblems.NoSuchWorkspace;
    }

    public async Task<Outcome<WorkspaceDto>> GetAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        return opened.Succeeded ? await DtoAsync(opened.Value!, ct) : opened.Problem!;
    }

    /// <summary>mine (default); course: the course-linked workspaces the caller may join; all: administrators only.</summary>
    public async Task<Outcome<IReadOnlyList<WorkspaceDto>>> ListAsync(string? scope, Caller caller, CancellationToken ct)
    {
        IQueryable<Workspace> query;
        switch (scope?.ToLowerInvariant())
        {
            case null or "" or "mine":
                query = db.Workspaces.Where(w => w.OwnerId == caller.UserId);
                break;
            case "all" when caller.IsAdmin:
                query = db.Workspaces;
                break;
            case "all":
                return Problem.Forbidden("Only administrators can list every workspace.");
            case "course":
                var courses = db.Courses.Where(c => c.OwnerId == caller.UserId).Select(c => c.Id)
                    .Concat(db.CoEducators.Where(c => c.UserId == caller.UserId).Select(c => c.CourseId))
                    .Concat(db.Enrolments.Where(e => e.UserId == caller.UserId && e.Status == EnrolmentStatus.Accepted).Select(e => e.CourseId));
                query = db.Workspaces.Where(w => w.OwnerId != caller.UserId && w.CourseId != null && courses.Contains(w.CourseId.Value));
                break;
            default:
                return Problem.BadRequest("The scope must be mine, course or all.");
        }
        var rows = await query.OrderBy(w => w.Id).Take(MaxListed).ToListAsync(ct);
        var list = new List<WorkspaceDto>();
        foreach (var row in rows)
        {
            var access = await rules.AccessAsync(row, caller, ct);
            if (access.CanSee)
            {
                list.Add(await DtoAsync(access, ct));
            }
        }
        return list;
    }

    public async Task<IReadOnlyList<PublicWorkspaceDto>> PublicAsync(string? q, CancellationToken ct)
    {
        var query = db.Workspaces.Where(w => w.Visibility == WorkspaceVisibility.Public && !w.Deleting);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            term = term.Length > WorkspaceLimits.Name ? term[..WorkspaceLimits.Name] : term;
            query = query.Where(w => w.Name.Contains(term));
        }
        return await query.OrderBy(w => w.Name).ThenBy(w => w.Id).Take(MaxListed)
            .Join(db.Users, w => w.OwnerId, u => u.Id, (w, u) => new { w, u.Nickname })
            .Select(x => new PublicWorkspaceDto(x.w.Id, x.w.Name, x.w.Description,
                x.w.Kind == WorkspaceKind.Desktop ? "desktop" : "terminal",
                x.w.GuestAccess == GuestAccess.Control ? "control" : "view", WorkspaceLifecycle.Word(x.w.State), x.Nickname))
            .ToListAsync(ct);
    }

    public async Task<Outcome<IReadOnlyList<SnapshotDto>>> SnapshotsAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (!opened.Value!.CanOperate)
        {
            return WorkspaceProblems.NotOwner;
        }
        return await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == id).OrderBy(s => s.Number)
            .Select(s => new SnapshotDto(s.Id, s.Number, s.Kind == WorkspaceKind.Desktop ? "desktop" : "terminal", s.SizeBytes, s.Digest, s.CreatedAt))
            .ToListAsync(ct);
    }

    public async Task<WorkspaceDto> DtoAsync(WorkspaceAccess access, CancellationToken ct)
    {
        var w = access.Workspace;
        var owner = await db.Users.Where(u => u.Id == w.OwnerId).Select(u => u.Nickname).SingleOrDefaultAsync(ct) ?? "";
        // A waiting start says why and about how long (issue 17); the position moves as the ones ahead are admitted.
        var position = await WorkspaceAdmission.PositionAsync(db, w, ct);
        var reason = position is null ? null : QueueWords.Of(await admission.HoldAsync(ct));
        var estimate = position is { } p ? admission.Pace.Estimate(p) : null;
        return new WorkspaceDto(w.Id, w.Name, w.Description, WorkspaceWords.Of(w.Kind), WorkspaceWords.Of(w.Visibility),
            WorkspaceWords.Of(w.GuestAccess), w.CourseId, WorkspaceLifecycle.Word(w.State), WorkspaceReason.Describe(w.Reason, t), w.ProgressBytes, w.OwnerId, owner, w.SnapshotId,
            WorkspaceWords.Of(access.Relation), access.CanControl, WorkspaceWords.Actions(access), w.CreatedAt, w.UpdatedAt,
            position, reason, estimate is { } e ? (int)Math.Ceiling(e.TotalSeconds) : null, w.HandRaisedAt);
    }
}
