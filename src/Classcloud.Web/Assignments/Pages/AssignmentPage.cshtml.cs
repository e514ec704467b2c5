using Classcloud.Web.Assignments.Similarity;
using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments.Pages;

/// <summary>/assignments/{id}: the description and tests; educators see every submission, collect, grade all, release and download the gradebook.</summary>
public sealed class AssignmentPageModel(CourseService courses, AssignmentService assignments, SubmissionService submissions, SimilarityService similarity) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public AssignmentDto Assignment { get; private set; } = null!;

    public string DescriptionHtml { get; private set; } = "";

    public IReadOnlyList<SubmissionSummaryDto> Submissions { get; private set; } = [];

    public GradingProgressDto? Progress { get; private set; }

    /// <summary>The similarity report, computed only when the educator asks for it (it reads every latest submission).</summary>
    public SimilarityReportDto? Similarity { get; private set; }

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, bool similar, CancellationToken ct)
    {
        var assignment = await assignments.GetAsync(Me, id, ct);
        if (!assignment.Succeeded)
        {
            return NotFound();
        }
        Assignment = assignment.Value!;
        Course = (await courses.GetAsync(Me, Assignment.CourseId, ct)).Value!;
        DescriptionHtml = MarkdownRenderer.ToHtml(Assignment.Description);
        Submissions = (await submissions.ListAsync(Me, id, ct)).Value ?? [];
        if (IsEducator)
        {
            Progress = (await submissions.ProgressAsync(Me, id, ct)).Value;
            Similarity = similar ? (await similarity.ReportAsync(Me, id, null, ct)).Value : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCollectAsync(long id, CancellationToken ct)
    {
        var outcome = await submissions.CollectAllAsync(Me, id, ct);
        return After(outcome.Problem, L("Collected {0}; {1} could not be collected.", outcome.Value?.Collected ?? 0, outcome.Value?.Failed ?? 0), $"/assignments/{id}");
    }

    public async Task<IActionResult> OnPostGradeAsync(long id, CancellationToken ct)
    {
        var outcome = await submissions.QueueAllAsync(Me, id, every: false, ct);
        return After(outcome.Problem, L("Grading queued: {0} submissions.", outcome.Value?.Queued ?? 0), $"/assignments/{id}");
    }

    public async Task<IActionResult> OnPostReleaseAsync(long id, bool released, CancellationToken ct)
    {
        var outcome = await submissions.ReleaseAsync(Me, id, released, ct);
        return After(outcome.Problem, released ? L("Scores are visible to the students.") : L("Scores are hidden from the students."), $"/assignments/{id}");
    }

    public async Task<IActionResult> OnPostSubmitAsync(long id, CancellationToken ct)
    {
        var outcome = await submissions.SubmitAsync(Me, id, ct);
        return After(outcome.Problem, L("Submitted: {0} files taken from your workspace.", outcome.Value?.FileCount ?? 0), $"/assignments/{id}");
    }
}
