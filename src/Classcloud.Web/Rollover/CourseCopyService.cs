using Classcloud.Web.Admin;
using Classcloud.Web.Assignments;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Rollover;

/// <summary>
/// A copy for the next term. Name, description and section default to the source's; <see cref="ShiftDays"/>
/// moves every assignment date (opens, due, late-until) by that many days; without it the dates move by the
/// whole weeks since the source course was created, so weekdays stay the same.
/// </summary>
public sealed record CopyCourseRequest(string? Name = null, string? Description = null, string? Section = null, int? ShiftDays = null);

/// <summary>What a copy carried over, so the page can say it (the API answers the new course).</summary>
public sealed record CourseCopy(CourseDto Course, int ShiftDays, int Notices, int Environments, int Assignments);

/// <summary>
/// Copies a course to a new term (issue 16; Moodle's course backup and reset): its settings, the notice
/// board's posts (not hidden ones, not attachments), the published environments (the same immutable
/// snapshots) and the assignments with their tests and starter files — dates shifted, unreleased, never
/// collected. No members, no co-educators, no other boards, no submissions. The caller owns the copy.
/// </summary>
public sealed class CourseCopyService(
    ClasscloudDb db, CourseGate gate, CourseService courses, BoardCounts boards, AuditLog audit, TimeProvider time)
{
    public const string CopyAction = "course.copy";
    public const int MaxShiftDays = 3660;

    public async Task<Outcome<CourseCopy>> CopyAsync(Caller caller, long id, CopyCourseRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (request.ShiftDays is { } asked && Math.Abs(asked) > MaxShiftDays)
        {
            return Problem.BadRequest("Dates can be shifted by at most {0} days.", MaxShiftDays);
        }
        var source = opened.Value!.Course;
        var now = time.GetUtcNow().UtcDateTime;
        var shift = request.ShiftDays ?? (int)((now - source.CreatedAt).TotalDays / 7) * 7;
        var created = await courses.CreateAsync(caller, new CourseRequest(
            request.Name ?? source.Name, request.Description ?? source.Description, request.Section ?? source.Section,
            source.Capacity, CourseNames.Of(source.JoinPolicy), source.IdleSuspendMinutes, source.IdleStopMinutes), ct);
        if (!created.Succeeded)
        {
            return created.Problem!;
        }
        var copy = created.Value!.Id;
        var notices = await CopyNoticesAsync(id, copy, caller.UserId, now, ct);
        var environments = await CopyEnvironmentsAsync(id, copy, caller.UserId, now, ct);
        var assignments = await CopyAssignmentsAsync(id, copy, caller.UserId, TimeSpan.FromDays(shift), now, ct);
        audit.Record(CopyAction, $"course {copy}", $"from course {id}; dates shifted {shift} days");
        await db.SaveChangesAsync(ct);
        return new CourseCopy((await courses.GetAsync(caller, copy, ct)).Value!, shift, notices, environments, assignments);
    }

    async Task<int> CopyNoticesAsync(long from, long to, long author, DateTime now, CancellationToken ct)
    {
        var notices = await db.Posts.AsNoTracking().Where(p => p.CourseId == from && p.Board == BoardKind.Notice && !p.Hidden)
            .OrderBy(p => p.Id).ToListAsync(ct);
        foreach (var n in notices)
        {
            db.Posts.Add(new Post
            {
                CourseId = to, Board = BoardKind.Notice, AuthorId = author, Title = n.Title, Body = n.Body,
                Visibility = n.Visibility, Pinned = n.Pinned, CreatedAt = now, UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        await boards.MoveAsync(to, BoardKind.Notice, notices.Count, notices.Count(n => n.Visibility == PostVisibility.Everyone), ct);
        return notices.Count;
    }

    async Task<int> CopyEnvironmentsAsync(long from, long to, long author, DateTime now, CancellationToken ct)
    {
        var environments = await db.CourseEnvironments.AsNoTracking().Where(e => e.CourseId == from).OrderBy(e => e.Id).ToListAsync(ct);
        foreach (var e in environments)
        {
            // The snapshot is immutable and shared: both courses publish it, and SnapshotCollector keeps it while either does.
            db.CourseEnvironments.Add(new CourseEnvironment
            {
                CourseId = to, Name = e.Name, Description = e.Description, SnapshotId = e.SnapshotId, Kind = e.Kind,
                ProvisionAutomatically = e.ProvisionAutomatically, CreatedById = author, CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        return environments.Count;
    }

    async Task<int> CopyAssignmentsAsync(long from, long to, long author, TimeSpan shift, DateTime now, CancellationToken ct)
    {
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.CourseId == from).OrderBy(a => a.Id).ToListAsync(ct);
        foreach (var a in assignments)
        {
            var copy = new Assignment
            {
                CourseId = to, Slug = a.Slug, Title = a.Title, Description = a.Description, Language = a.Language, RunCommand = a.RunCommand,
                OpensAt = a.OpensAt + shift, DueAt = a.DueAt + shift, LatePolicy = a.LatePolicy, LatePenaltyPercent = a.LatePenaltyPercent,
                LateUntil = a.LateUntil + shift, StarterFilesJson = a.StarterFilesJson, Released = false, CollectedAt = null,
                CreatedById = author, CreatedAt = now, UpdatedAt = now,
            };
            db.Assignments.Add(copy);
            await db.SaveChangesAsync(ct);
            var tests = await db.AssignmentTests.AsNoTracking().Where(x => x.AssignmentId == a.Id).OrderBy(x => x.Position).ToListAsync(ct);
            foreach (var x in tests)
            {
                db.AssignmentTests.Add(new AssignmentTest
                {
                    AssignmentId = copy.Id, Position = x.Position, Name = x.Name, Stdin = x.Stdin, ExpectedStdout = x.ExpectedStdout,
                    Compare = x.Compare, Points = x.Points, TimeLimitMs = x.TimeLimitMs, MemoryMb = x.MemoryMb, Visibility = x.Visibility,
                });
            }
        }
        await db.SaveChangesAsync(ct);
        return assignments.Count;
    }
}
