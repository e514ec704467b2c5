using System.Security.Claims;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Gateway;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// One course workspace as its course page lists it. <see cref="LastActivityAt"/>: now while someone is connected,
/// else when the last person left (this process saw it), else the last state change.
/// </summary>
public sealed record CourseWorkspaceDto(
    long Id, string Name, string Kind, string State, int? QueuePosition, long OwnerId, string OwnerName, bool OwnerTeaches,
    string Relation, bool CanControl, IReadOnlyList<string> Actions, int Connected, DateTime LastActivityAt, DateTime? HandRaisedAt = null);

/// <summary>
/// The workspaces linked to a course (issue 17 contract): educators see every member's, students their own and
/// the ones shared with them (the educators' course workspaces, public ones). The same rule as opening one
/// (<see cref="WorkspaceAccessRules"/>) decides, so the list never shows what a click would refuse.
/// </summary>
public sealed class CourseWorkspaces(ClasscloudDb db, CourseGate courses, WorkspaceAccessRules rules, IServiceProvider services)
{
    public async Task<Outcome<IReadOnlyList<CourseWorkspaceDto>>> ListAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var opened = await courses.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var course = opened.Value!.Course;
        var rows = await db.Workspaces.Where(w => w.CourseId == courseId && !w.Deleting).OrderBy(w => w.Id).Take(WorkspaceReader.MaxListed).ToListAsync(ct);
        var owners = rows.Select(w => w.OwnerId).Distinct().ToList();
        var names = await db.Users.Where(u => owners.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var teachers = await db.CoEducators.Where(c => c.CourseId == courseId).Select(c => c.UserId).ToListAsync(ct);
        teachers.Add(course.OwnerId);
        // The presence lives in the gateway role's process; a web-only process lists without it.
        var presence = services.GetService<IWorkspacePresence>();
        var list = new List<CourseWorkspaceDto>();
        foreach (var w in rows)
        {
            var access = await rules.AccessAsync(w, caller, ct);
            if (!access.CanSee)
            {
                continue;
            }
            var seen = presence?.LastSeen(w.Id)?.UtcDateTime;
            list.Add(new CourseWorkspaceDto(w.Id, w.Name, WorkspaceWords.Of(w.Kind), WorkspaceLifecycle.Word(w.State),
                await WorkspaceAdmission.PositionAsync(db, w, ct), w.OwnerId, names.GetValueOrDefault(w.OwnerId, ""), teachers.Contains(w.OwnerId),
                WorkspaceWords.Of(access.Relation), access.CanControl, WorkspaceWords.Actions(access), presence?.Who(w.Id).Count ?? 0,
                seen is { } s && s > w.UpdatedAt ? s : w.UpdatedAt, w.HandRaisedAt));
        }
        return list.OrderByDescending(x => x.OwnerTeaches).ThenBy(x => x.OwnerName, StringComparer.CurrentCulture).ThenBy(x => x.Name, StringComparer.CurrentCulture).ToList();
    }
}

/// <summary>GET /api/v1/courses/{courseId}/workspaces: members of the course only (others 403, like the course's other routes).</summary>
public static class CourseWorkspaceEndpoints
{
    public static void MapCourseWorkspaceApi(this WebApplication app) =>
        app.MapGet("/api/v1/courses/{courseId:long}/workspaces", ListAsync).RequireAuthorization().WithTags("Workspaces");

    static async Task<Results<Ok<IReadOnlyList<CourseWorkspaceDto>>, ProblemHttpResult>> ListAsync(
        long courseId, ClaimsPrincipal user, CourseWorkspaces workspaces, CancellationToken ct)
    {
        var outcome = await workspaces.ListAsync(courseId, Caller.From(user), ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
    }
}
