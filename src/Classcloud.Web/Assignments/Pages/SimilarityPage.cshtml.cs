using Classcloud.Web.Assignments.Similarity;
using Classcloud.Web.Courses;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Assignments.Pages;

/// <summary>/assignments/{id}/similarity/{left}/{right}: two submissions side by side, the code they share marked (educators).</summary>
public sealed class SimilarityPageModel(CourseService courses, SimilarityService similarity) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public Assignment Assignment { get; private set; } = null!;

    public SimilarityFilesDto Left { get; private set; } = null!;

    public SimilarityFilesDto Right { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, long left, long right, CancellationToken ct)
    {
        var outcome = await similarity.CompareAsync(Me, id, left, right, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        (var access, Left, Right) = outcome.Value;
        Assignment = access.Assignment;
        Course = (await courses.GetAsync(Me, Assignment.CourseId, ct)).Value!;
        return Page();
    }
}
