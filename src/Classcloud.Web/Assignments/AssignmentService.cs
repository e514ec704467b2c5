using System.Text.Json;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments;

/// <summary>Creating, listing, changing and removing assignments; educators manage, members read.</summary>
public sealed class AssignmentService(ClasscloudDb db, CourseGate courses, AssignmentGate gate, SubmissionArchive archive, GradingService grading,
    TimeProvider clock, IStringLocalizer<SharedResource> t)
{
    public const int MaxPerCourse = 500;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Outcome<AssignmentDto>> CreateAsync(Caller caller, long courseId, AssignmentRequest request, CancellationToken ct)
    {
        var opened = await courses.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var parsed = AssignmentValidation.Parse(request, Now, t);
        if (!parsed.Succeeded)
        {
            return parsed.Problem!;
        }
        var a = parsed.Value!.Fields;
        var rubric = GradingService.Parse(request.Rubric ?? []);
        if (!rubric.Succeeded)
        {
            return rubric.Problem!;
        }
        if (await db.Assignments.CountAsync(x => x.CourseId == courseId, ct) >= MaxPerCourse)
        {
            return Problem.Conflict("A course has at most {0} assignments.", MaxPerCourse);
        }
        if (await db.Assignments.AnyAsync(x => x.CourseId == courseId && x.Slug == a.Slug, ct))
        {
            return Problem.Conflict("The course already has an assignment with the folder name '{0}'.", a.Slug);
        }
        a.CourseId = courseId;
        a.CreatedById = caller.UserId;
        a.CreatedAt = a.UpdatedAt = Now;
        db.Assignments.Add(a);
        await db.SaveChangesAsync(ct);
        await ReplaceTestsAsync(a, parsed.Value.Tests, ct);
        await grading.ReplaceRubricAsync(a.Id, rubric.Value!, ct);
        return await ToDtoAsync(a, opened.Value!, ct);
    }

    public async Task<Outcome<IReadOnlyList<AssignmentDto>>> ListAsync(Caller caller, long courseId, CancellationToken ct)
    {
        var opened = await courses.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var now = Now;
        var list = await db.Assignments.Where(a => a.CourseId == courseId && (opened.Value!.IsEducator || a.OpensAt <= now))
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id).ToListAsync(ct);
        var result = new List<AssignmentDto>();
        foreach (var a in list)
        {
            result.Add(await ToDtoAsync(a, opened.Value!, ct));
        }
        return result;
    }

    public async Task<Outcome<AssignmentDto>> GetAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(id, caller, ct);
        return opened.Succeeded ? await ToDtoAsync(opened.Value!.Assignment, opened.Value.Course, ct) : opened.Problem!;
    }

    /// <summary>Replaces the assignment; the folder name stays once a folder was written anywhere. New tests clear the old results.</summary>
    public async Task<Outcome<AssignmentDto>> UpdateAsync(Caller caller, long id, AssignmentRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var a = opened.Value!.Assignment;
        var parsed = AssignmentValidation.Parse(request with { Slug = request.Slug ?? a.Slug }, Now, t);
        if (!parsed.Succeeded)
        {
            return parsed.Problem!;
        }
        var f = parsed.Value!.Fields;
        var rubric = GradingService.Parse(request.Rubric ?? []);
        if (!rubric.Succeeded)
        {
            return rubric.Problem!;
        }
        if (f.Slug != a.Slug)
        {
            if (await db.AssignmentDeliveries.AnyAsync(d => d.AssignmentId == id, ct))
            {
                return Problem.Conflict("The folder name cannot change once the folder was written into workspaces.");
            }
            if (await db.Assignments.AnyAsync(x => x.CourseId == a.CourseId && x.Slug == f.Slug && x.Id != id, ct))
            {
                return Problem.Conflict("The course already has an assignment with the folder name '{0}'.", f.Slug);
            }
        }
        (a.Title, a.Slug, a.Description, a.Language, a.RunCommand, a.OpensAt, a.DueAt) = (f.Title, f.Slug, f.Description, f.Language, f.RunCommand, f.OpensAt, f.DueAt);
        (a.LatePolicy, a.LatePenaltyPercent, a.LateUntil, a.StarterFilesJson, a.UpdatedAt) = (f.LatePolicy, f.LatePenaltyPercent, f.LateUntil, f.StarterFilesJson, Now);
        if (a.DueAt > Now)
        {
            a.CollectedAt = null; // a deadline moved into the future is collected again when it comes
        }
        await db.SaveChangesAsync(ct);
        if (request.Tests is not null)
        {
            await ReplaceTestsAsync(a, parsed.Value.Tests, ct);
        }
        if (request.Rubric is not null)
        {
            await grading.ReplaceRubricAsync(a.Id, rubric.Value!, ct);
        }
        return await ToDtoAsync(a, opened.Value.Course, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var keys = await db.Submissions.Where(s => s.AssignmentId == id).Select(s => s.ArchiveKey).ToListAsync(ct);
        db.Assignments.Remove(opened.Value!.Assignment);
        await db.SaveChangesAsync(ct);
        archive.Delete(keys);
        return true;
    }

    async Task ReplaceTestsAsync(Assignment a, IReadOnlyList<AssignmentTest> tests, CancellationToken ct)
    {
        await db.AssignmentTests.Where(x => x.AssignmentId == a.Id).ExecuteDeleteAsync(ct);
        foreach (var test in tests)
        {
            test.AssignmentId = a.Id;
            db.AssignmentTests.Add(test);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Students see a test's input and output when it is visible, or after the due time when it says so.</summary>
    public static bool ShowsTest(AssignmentTest test, bool educator, DateTime due, DateTime now) =>
        educator || test.Visibility == TestVisibility.Visible || (test.Visibility == TestVisibility.AfterDue && now > due);

    public async Task<AssignmentDto> ToDtoAsync(Assignment a, CourseAccess access, CancellationToken ct)
    {
        var now = Now;
        var educator = access.IsEducator;
        var tests = await db.AssignmentTests.Where(x => x.AssignmentId == a.Id).OrderBy(x => x.Position).ToListAsync(ct);
        var myDue = await db.AssignmentExtensions.Where(e => e.AssignmentId == a.Id && e.UserId == access.Caller.UserId)
            .Select(e => (DateTime?)e.DueAt).SingleOrDefaultAsync(ct) ?? a.DueAt;
        var mine = await db.Submissions.Where(s => s.AssignmentId == a.Id && s.UserId == access.Caller.UserId)
            .OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        var starter = JsonSerializer.Deserialize<List<StarterFile>>(a.StarterFilesJson, JsonSerializerOptions.Web) ?? [];
        var testDtos = tests.Where(x => educator || x.Visibility != TestVisibility.Hidden).Select(x => ShowsTest(x, educator, myDue, now)
            ? new TestDto(x.Id, x.Name, x.Stdin, x.ExpectedStdout, x.Compare, x.Points, x.TimeLimitMs, x.MemoryMb, x.Visibility)
            : new TestDto(x.Id, x.Name, null, null, x.Compare, x.Points, x.TimeLimitMs, x.MemoryMb, x.Visibility)).ToList();
        var state = now < a.OpensAt ? "upcoming"
            : mine is { } m && a.Released && m.GradeState == GradeStates.Done ? "graded"
            : mine is { Late: true } ? "late"
            : mine is not null ? "submitted"
            : now > myDue ? "missing"
            : myDue - now < TimeSpan.FromDays(1) ? "due-soon"
            : "open";
        return new AssignmentDto(a.Id, a.CourseId, a.Slug, a.Title, a.Description, a.Language, a.RunCommand, a.OpensAt, a.DueAt,
            new LatePolicyDto(a.LatePolicy, a.LatePenaltyPercent, a.LateUntil), a.Released, a.CollectedAt, starter, testDtos,
            tests.Sum(x => x.Points), state, myDue, mine is null ? null : SubmissionService.Summary(mine, "", a.Released || educator))
        {
            Rubric = await grading.RubricAsync(a.Id, null, ct),
        };
    }
}
