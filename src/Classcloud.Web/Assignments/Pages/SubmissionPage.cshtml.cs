using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Assignments.Similarity;
using Classcloud.Web.Courses;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Assignments.Pages;

/// <summary>
/// /submissions/{id}: one submission's files (highlighted, with line comments), its test results (expected against
/// actual as a diff) and, for educators, the manual grade: score override, rubric ticks, feedback and comments.
/// The student sees the same page read-only, with scores, feedback and comments once the assignment is released.
/// </summary>
public sealed class SubmissionPageModel(CourseService courses, AssignmentService assignments, SubmissionService submissions, GradingService grading) : AppPageModel
{
    /// <summary>Larger files are listed but not shown (they are data, not a program to read).</summary>
    const int MaxShownBytes = 256 * 1024;

    public CourseDto Course { get; private set; } = null!;

    public AssignmentDto Assignment { get; private set; } = null!;

    public SubmissionDto Submission { get; private set; } = null!;

    public IReadOnlyList<(string Path, List<List<HighlightSpan>> Lines)> Files { get; private set; } = [];

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var submission = await submissions.GetAsync(Me, id, ct);
        if (!submission.Succeeded)
        {
            return NotFound();
        }
        Submission = submission.Value!;
        Assignment = (await assignments.GetAsync(Me, Submission.Summary.AssignmentId, ct)).Value!;
        Course = (await courses.GetAsync(Me, Assignment.CourseId, ct)).Value!;
        var files = (await submissions.TextFilesAsync(Me, id, MaxShownBytes, ct)).Value ?? [];
        Files = files.OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => (f.Path, CodeHighlighter.Lines(f.Text, CodeTokenizer.FamilyOfPath(f.Path) ?? (Path.HasExtension(f.Path) ? null : CodeTokenizer.FamilyOfLanguage(Assignment.Language)))))
            .ToList();
        return Page();
    }

    public IEnumerable<LineCommentDto> CommentsOn(string path, int line) => Submission.Comments.Where(c => c.Path == path && c.Line == line);

    public async Task<IActionResult> OnPostGradeAsync(long id, string? score, string? feedback, long[] rubric, CancellationToken ct)
    {
        double? value = null;
        if (!string.IsNullOrWhiteSpace(score))
        {
            if (!double.TryParse(score.Replace(',', '.'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                FlashError(L("The score must be 0–100000 and the feedback at most {0} characters.", AssignmentLimits.Feedback));
                return LocalRedirect($"/submissions/{id}");
            }
            value = parsed;
        }
        var outcome = await submissions.GradeAsync(Me, id, new GradeRequest(value, feedback, rubric), ct);
        return After(outcome.Problem, L("The grade is saved."), $"/submissions/{id}");
    }

    public async Task<IActionResult> OnPostCommentAsync(long id, string? path, int? line, string? text, CancellationToken ct)
    {
        var outcome = await grading.CommentAsync(Me, id, new LineCommentRequest(path, line, text), ct);
        return After(outcome.Problem, L("The comment is added."), $"/submissions/{id}#file-{Uri.EscapeDataString(path ?? "")}");
    }

    public async Task<IActionResult> OnPostDeleteCommentAsync(long id, long commentId, CancellationToken ct)
    {
        var outcome = await grading.DeleteCommentAsync(Me, id, commentId, ct);
        return After(outcome.Problem, L("The comment is deleted."), $"/submissions/{id}");
    }
}
