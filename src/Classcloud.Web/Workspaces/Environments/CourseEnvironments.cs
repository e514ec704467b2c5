using Classcloud.Web.Admin;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Course environments (seed 000 §4.6): educators publish one of their snapshots; members list them and
/// make a course workspace from one in one click; with "provision automatically" every member gets one
/// (<see cref="EnvironmentProvisioning"/>).
/// </summary>
public sealed class CourseEnvironments(
    ClasscloudDb db, CourseGate courses, EnvironmentProvisioning provisioning, SnapshotCollector collector, AuditLog audit, TimeProvider time)
{
    /// <summary>"One or a few" named environments per course.</summary>
    public const int MaxPerCourse = 5;

    public async Task<Outcome<IReadOnlyList<EnvironmentDto>>> ListAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var opened = await courses.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var educator = opened.Value!.IsEducator;
        var rows = await db.CourseEnvironments.Where(e => e.CourseId == courseId).OrderBy(e => e.Id).ToListAsync(ct);
        var ids = rows.Select(e => e.Id).ToList();
        var mine = await db.CourseProvisions.Where(p => p.UserId == caller.UserId && ids.Contains(p.EnvironmentId)).ToListAsync(ct);
        return rows.Select(e => Dto(e, educator, mine.SingleOrDefault(p => p.EnvironmentId == e.Id))).ToList();
    }

    public async Task<Outcome<EnvironmentDto>> PublishAsync(long courseId, Caller caller, EnvironmentRequest request, CancellationToken ct)
    {
        var opened = await courses.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var snapshot = request.SnapshotId is { } sid
            ? await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == sid && s.OwnerId == caller.UserId, ct)
            : null;
        if (snapshot is null)
        {
            return Problem.BadRequest("Choose one of your saved snapshots to publish.");
        }
        if (await db.CourseEnvironments.CountAsync(e => e.CourseId == courseId, ct) >= MaxPerCourse)
        {
            return Problem.Conflict("A course can have at most {0} environments; remove one first.", MaxPerCourse);
        }
        var environment = new CourseEnvironment
        {
            CourseId = courseId,
            Name = request.Name!.Trim(),
            Description = request.Description?.Trim() ?? "",
            SnapshotId = snapshot.Id,
            Kind = snapshot.Kind,
            ProvisionAutomatically = request.ProvisionAutomatically ?? false,
            CreatedById = caller.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.CourseEnvironments.Add(environment);
        await db.SaveChangesAsync(ct);
        audit.Record("course.environment.publish", $"course:{courseId}", $"environment {environment.Id}, snapshot {snapshot.Id}");
        await db.SaveChangesAsync(ct);
        if (environment.ProvisionAutomatically)
        {
            await provisioning.ProvisionAsync(environment, ct);
        }
        return Dto(environment, educator: true, null);
    }

    public async Task<Outcome<EnvironmentDto>> UpdateAsync(long courseId, long id, Caller caller, EnvironmentRequest request, CancellationToken ct)
    {
        var found = await OpenAsync(courseId, id, caller, educatorOnly: true, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var environment = found.Value!;
        var turnedOn = request.ProvisionAutomatically == true && !environment.ProvisionAutomatically;
        environment.Name = request.Name!.Trim();
        environment.Description = request.Description?.Trim() ?? "";
        environment.ProvisionAutomatically = request.ProvisionAutomatically ?? environment.ProvisionAutomatically;
        audit.Record("course.environment.update", $"course:{courseId}", $"environment {environment.Id}");
        await db.SaveChangesAsync(ct);
        if (turnedOn)
        {
            await provisioning.ProvisionAsync(environment, ct);
        }
        return Dto(environment, educator: true, null);
    }

    /// <summary>Unpublishes; the snapshot is removed too if nothing else uses it (its workspace was deleted, no key).</summary>
    public async Task<Problem?> RemoveAsync(long courseId, long id, Caller caller, CancellationToken ct)
    {
        var found = await OpenAsync(courseId, id, caller, educatorOnly: true, ct);
        if (!found.Succeeded)
        {
            return found.Problem;
        }
        var environment = found.Value!;
        db.CourseEnvironments.Remove(environment);
        audit.Record("course.environment.remove", $"course:{courseId}", $"environment {environment.Id}");
        await db.SaveChangesAsync(ct);
        await collector.CollectAsync([environment.SnapshotId], ct);
        return null;
    }

    /// <summary>
    /// One click: a private course workspace for the caller from the environment (the quota applies); the page's
    /// button starts it too (<paramref name="start"/>), the API keeps its first answer, a stopped workspace.
    /// </summary>
    public async Task<Outcome<CreatedWorkspaceDto>> CreateWorkspaceAsync(long courseId, long id, Caller caller, bool start, CancellationToken ct)
    {
        var found = await OpenAsync(courseId, id, caller, educatorOnly: false, ct);
        return found.Succeeded ? await provisioning.AddWorkspaceAsync(found.Value!, caller, start, ct) : found.Problem!;
    }

    public async Task<Outcome<IReadOnlyList<ProvisionDto>>> ProvisionsAsync(long courseId, long id, Caller caller, CancellationToken ct)
    {
        var found = await OpenAsync(courseId, id, caller, educatorOnly: true, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        return await db.CourseProvisions.Where(p => p.EnvironmentId == id)
            .Join(db.Users, p => p.UserId, u => u.Id, (p, u) => new { p, u.Name })
            .OrderBy(x => x.p.Id)
            .Select(x => new ProvisionDto(x.p.UserId, x.Name, x.p.WorkspaceId, x.p.Note, x.p.UpdatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The environments of every course the caller teaches or takes, with the course's name (for the new-workspace page).</summary>
    public async Task<IReadOnlyList<(string Course, EnvironmentDto Environment)>> OfMyCoursesAsync(Caller caller, CancellationToken ct)
    {
        var courseIds = db.Courses.Where(c => c.OwnerId == caller.UserId).Select(c => c.Id)
            .Concat(db.CoEducators.Where(c => c.UserId == caller.UserId).Select(c => c.CourseId))
            .Concat(db.Enrolments.Where(e => e.UserId == caller.UserId && e.Status == EnrolmentStatus.Accepted).Select(e => e.CourseId));
        var rows = await db.CourseEnvironments.Where(e => courseIds.Contains(e.CourseId))
            .Join(db.Courses, e => e.CourseId, c => c.Id, (e, c) => new { e, c.Name })
            .OrderBy(x => x.Name).ThenBy(x => x.e.Id).Take(100).ToListAsync(ct);
        var ids = rows.Select(x => x.e.Id).ToList();
        var mine = await db.CourseProvisions.Where(p => p.UserId == caller.UserId && ids.Contains(p.EnvironmentId)).ToListAsync(ct);
        return [.. rows.Select(x => (x.Name, Dto(x.e, educator: false, mine.SingleOrDefault(p => p.EnvironmentId == x.e.Id))))];
    }

    async Task<Outcome<CourseEnvironment>> OpenAsync(long courseId, long id, Caller caller, bool educatorOnly, CancellationToken ct)
    {
        var opened = educatorOnly ? await courses.OpenAsEducatorAsync(courseId, caller, ct) : await courses.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var environment = await db.CourseEnvironments.SingleOrDefaultAsync(e => e.Id == id && e.CourseId == courseId, ct);
        return environment is null ? Problem.NotFound("No such environment in this course.") : environment;
    }

    static Problem? Validate(EnvironmentRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > WorkspaceLimits.Name)
        {
            return Problem.BadRequest("Give the environment a name of at most {0} characters.", WorkspaceLimits.Name);
        }
        return request.Description is { Length: > WorkspaceLimits.Description }
            ? Problem.BadRequest("The description can be at most {0} characters.", WorkspaceLimits.Description)
            : null;
    }

    static EnvironmentDto Dto(CourseEnvironment e, bool educator, CourseProvision? mine) =>
        new(e.Id, e.CourseId, e.Name, e.Description, WorkspaceWords.Of(e.Kind), e.ProvisionAutomatically,
            educator ? e.SnapshotId : null, e.CreatedAt, mine?.WorkspaceId, mine?.Note);
}
