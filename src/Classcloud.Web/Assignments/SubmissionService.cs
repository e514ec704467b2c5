using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments;

/// <summary>Submissions: taking them (submit now, collect now), reading them, grading, releasing and extensions.</summary>
public sealed class SubmissionService(ClasscloudDb db, AssignmentGate gate, Collector collector, SubmissionArchive archive,
    GradingService grading, IServiceProvider services, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The student's "submit now": taken at once from their course workspace, if the late policy still takes it.</summary>
    public async Task<Outcome<SubmissionSummaryDto>> SubmitAsync(Caller caller, long assignmentId, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (a, access) = (opened.Value!.Assignment, opened.Value.Course);
        if (!access.IsStudent)
        {
            return Problem.Forbidden("Only the students of this course submit.");
        }
        if (access.Course.ArchivedAt is not null)
        {
            return Problem.Conflict("This course is archived and read-only.");
        }
        var due = await collector.DueForAsync(a, caller.UserId, ct);
        var last = a.LatePolicy == LatePolicies.None ? due : a.LateUntil is { } until && until > due ? until : due;
        if (Now > last)
        {
            return Problem.Conflict("The assignment no longer takes submissions (due {0:u}).", due);
        }
        return await TakeAsync(a, caller.UserId, SubmissionSources.Submit, ct);
    }

    /// <summary>The educator's "collect now": every accepted student's folder, as it is.</summary>
    public async Task<Outcome<CollectReportDto>> CollectAllAsync(Caller caller, long assignmentId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var a = opened.Value!.Assignment;
        var students = await db.Enrolments.Where(e => e.CourseId == a.CourseId && e.Status == EnrolmentStatus.Accepted).Select(e => e.UserId).ToListAsync(ct);
        var (collected, failed, notes) = (0, 0, new List<string>());
        foreach (var student in students)
        {
            var taken = await TakeAsync(a, student, SubmissionSources.Collect, ct);
            if (taken.Succeeded)
            {
                collected++;
            }
            else
            {
                failed++;
                notes.Add($"{student}: {taken.Problem!.Detail}");
            }
        }
        return new CollectReportDto(collected, failed, notes);
    }

    async Task<Outcome<SubmissionSummaryDto>> TakeAsync(Assignment a, long userId, string source, CancellationToken ct)
    {
        try
        {
            var submission = await collector.CollectAsync(a, userId, source, ct);
            return submission is null
                ? Problem.Conflict("There is no course workspace to collect the folder from.")
                : Summary(submission, await NameAsync(userId, ct), true);
        }
        catch (PlatformUnavailableException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }

    public async Task<Outcome<IReadOnlyList<SubmissionSummaryDto>>> ListAsync(Caller caller, long assignmentId, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (a, educator) = (opened.Value!.Assignment, opened.Value.Course.IsEducator);
        var rows = await db.Submissions.Where(s => s.AssignmentId == assignmentId && (educator || s.UserId == caller.UserId))
            .OrderBy(s => s.UserId).ThenByDescending(s => s.TakenAt).ToListAsync(ct);
        var ids = rows.Select(s => s.UserId).Distinct().ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return rows.Select(s => Summary(s, names.GetValueOrDefault(s.UserId, ""), educator || a.Released)).ToList();
    }

    public async Task<Outcome<SubmissionDto>> GetAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await gate.OpenSubmissionAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (s, access) = opened.Value;
        var (a, educator) = (access.Assignment, access.Course.IsEducator);
        var visible = educator || a.Released;
        var due = await collector.DueForAsync(a, s.UserId, ct);
        var tests = await db.AssignmentTests.Where(x => x.AssignmentId == a.Id).ToDictionaryAsync(x => x.Id, ct);
        var results = visible
            ? (await db.TestResults.Where(r => r.SubmissionId == id).OrderBy(r => r.Id).ToListAsync(ct))
                .Where(r => educator || tests[r.TestId].Visibility != TestVisibility.Hidden)
                .Select(r => ResultDto(r, tests[r.TestId], AssignmentService.ShowsTest(tests[r.TestId], educator, due, Now))).ToList()
            : [];
        var files = JsonSerializer.Deserialize<List<SubmissionFileDto>>(s.FilesJson, JsonSerializerOptions.Web) ?? [];
        var rubric = await grading.RubricAsync(a.Id, s.Id, ct);
        return new SubmissionDto(Summary(s, await NameAsync(s.UserId, ct), visible), files, educator ? s.GradeError : null, s.GradedAt,
            visible ? s.Feedback : null, a.Released, results)
        {
            Rubric = visible ? rubric : rubric.Select(r => r with { Checked = null }).ToList(),
            Comments = visible ? await grading.CommentsAsync(s.Id, ct) : [],
            RubricPoints = visible ? s.RubricPoints : null,
        };
    }

    public async Task<Outcome<(byte[] Content, string Name)>> FileAsync(Caller caller, long id, string path, CancellationToken ct)
    {
        var opened = await gate.OpenSubmissionAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var content = AssignmentValidation.IsSafePath(path) ? await archive.ReadFileAsync(opened.Value.Submission.ArchiveKey, path, ct) : null;
        return content is null ? Problem.NotFound("The submission has no such file.") : (content, Path.GetFileName(path));
    }

    /// <summary>The submission's text files up to <paramref name="maxBytes"/> each, for the grading page (binaries are left out).</summary>
    public async Task<Outcome<List<(string Path, string Text)>>> TextFilesAsync(Caller caller, long id, int maxBytes, CancellationToken ct)
    {
        var opened = await gate.OpenSubmissionAsync(id, caller, ct);
        return opened.Succeeded ? await archive.ReadTextFilesAsync(opened.Value.Submission.ArchiveKey, _ => true, maxBytes, ct) : opened.Problem!;
    }

    public async Task<Outcome<SubmissionDto>> GradeAsync(Caller caller, long id, GradeRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenSubmissionAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (!opened.Value.Access.Course.IsEducator)
        {
            return Problem.Forbidden("Only the educators of this course can do this.");
        }
        if (request.Override is { } o && (!double.IsFinite(o) || o < 0 || o > 100_000) || request.Feedback is { Length: > AssignmentLimits.Feedback })
        {
            return Problem.BadRequest("The score must be 0–100000 and the feedback at most {0} characters.", AssignmentLimits.Feedback);
        }
        var s = opened.Value.Submission;
        if (request.Rubric is { } ticked && await grading.TickAsync(s, ticked, ct) is { } refused)
        {
            return refused;
        }
        (s.Override, s.Feedback) = (request.Override, string.IsNullOrWhiteSpace(request.Feedback) ? null : request.Feedback);
        await db.SaveChangesAsync(ct);
        return await GetAsync(caller, id, ct);
    }

    /// <summary>"Grade all": queues the latest submission of every student (all of them with <paramref name="every"/>); returns the progress.</summary>
    public async Task<Outcome<GradingProgressDto>> QueueAllAsync(Caller caller, long assignmentId, bool every, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var rows = await db.Submissions.Where(s => s.AssignmentId == assignmentId && s.GradeState != GradeStates.Running).ToListAsync(ct);
        var latest = rows.GroupBy(s => s.UserId).Select(g => g.OrderByDescending(s => s.TakenAt).ThenByDescending(s => s.Id).First()).ToHashSet();
        foreach (var s in rows.Where(s => every || latest.Contains(s)))
        {
            s.GradeState = GradeStates.Queued;
        }
        await db.SaveChangesAsync(ct);
        services.GetService<AssignmentScheduler>()?.Wake();
        return await ProgressAsync(assignmentId, ct);
    }

    public async Task<Outcome<GradingProgressDto>> ProgressAsync(Caller caller, long assignmentId, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        return opened.Succeeded ? await ProgressAsync(assignmentId, ct) : opened.Problem!;
    }

    async Task<GradingProgressDto> ProgressAsync(long assignmentId, CancellationToken ct)
    {
        var counts = await db.Submissions.Where(s => s.AssignmentId == assignmentId).GroupBy(s => s.GradeState)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        int C(string k) => counts.GetValueOrDefault(k);
        return new GradingProgressDto(C(GradeStates.Queued), C(GradeStates.Running), C(GradeStates.Done), C(GradeStates.Error), counts.Values.Sum());
    }

    public async Task<Outcome<AssignmentDto>> ReleaseAsync(Caller caller, long assignmentId, bool released, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        opened.Value!.Assignment.Released = released;
        await db.SaveChangesAsync(ct);
        return await services.GetRequiredService<AssignmentService>().ToDtoAsync(opened.Value.Assignment, opened.Value.Course, ct);
    }

    public async Task<Outcome<ExtensionDto>> ExtendAsync(Caller caller, long assignmentId, long userId, ExtensionRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(assignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var a = opened.Value!.Assignment;
        if (!await db.Enrolments.AnyAsync(e => e.CourseId == a.CourseId && e.UserId == userId && e.Status == EnrolmentStatus.Accepted, ct))
        {
            return Problem.NotFound("No such student in this course.");
        }
        if (request.DueAt is not { } due || due.UtcDateTime <= a.DueAt || due.UtcDateTime > a.DueAt.AddDays(366))
        {
            return Problem.BadRequest("An extension's due time must be after the assignment's and within a year of it.");
        }
        var row = await db.AssignmentExtensions.SingleOrDefaultAsync(e => e.AssignmentId == assignmentId && e.UserId == userId, ct);
        if (row is null)
        {
            db.AssignmentExtensions.Add(row = new AssignmentExtension { AssignmentId = assignmentId, UserId = userId, CreatedAt = Now });
        }
        row.DueAt = due.UtcDateTime;
        row.CollectedAt = null;
        await db.SaveChangesAsync(ct);
        return new ExtensionDto(assignmentId, userId, row.DueAt);
    }

    async Task<string> NameAsync(long userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Name).SingleOrDefaultAsync(ct) ?? "";

    /// <summary>Scores only when <paramref name="scores"/> (educators, or released to the student).</summary>
    public static SubmissionSummaryDto Summary(Submission s, string name, bool scores)
    {
        var files = JsonSerializer.Deserialize<List<SubmissionFileDto>>(s.FilesJson, JsonSerializerOptions.Web) ?? [];
        return new SubmissionSummaryDto(s.Id, s.AssignmentId, s.UserId, name, s.Source, s.TakenAt, s.Late, s.ContentHash, s.SizeBytes, files.Count, s.Note,
            s.GradeState, scores ? s.Score : null, s.MaxScore, scores ? s.Override : null, scores ? s.Final : null);
    }

    static TestResultDto ResultDto(TestResult r, AssignmentTest test, bool detail) =>
        new(r.TestId, test.Name, r.Passed, r.Points, test.Points, detail ? test.Stdin : null, detail ? test.ExpectedStdout : null,
            detail ? r.Actual : null, detail ? r.Stderr : null, r.ExitCode, r.TimeMs, r.TimedOut, r.Note);
}
