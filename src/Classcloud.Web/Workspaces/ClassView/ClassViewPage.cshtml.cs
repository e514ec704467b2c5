using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces.ClassView;

/// <summary>
/// /courses/{id}/class-view: the teacher's live grid of every student's course workspace. The grid is one partial
/// that htmx asks for again every few seconds, so states, screens and "last seen" change without a reload.
/// </summary>
public sealed class ClassViewPageModel(CourseService courses, ClassViewService classView, RaisedHands hands) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public ClassViewDto View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        var view = await classView.GetAsync(id, Me, ct);
        if (!view.Succeeded)
        {
            return Forbid();
        }
        View = view.Value!;
        return Page();
    }

    /// <summary>An educator lowers a student's hand once they have helped.</summary>
    public async Task<IActionResult> OnPostLowerAsync(long id, long workspaceId, CancellationToken ct)
    {
        var lowered = await hands.SetAsync(workspaceId, Me, raised: false, ct);
        return lowered.Succeeded ? RedirectToPage(new { id }) : Forbid();
    }

    /// <summary>The grid alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetGridAsync(long id, CancellationToken ct)
    {
        var view = await classView.GetAsync(id, Me, ct);
        return view.Succeeded ? Partial("/Workspaces/ClassView/_ClassGrid.cshtml", view.Value!) : Forbid();
    }
}
