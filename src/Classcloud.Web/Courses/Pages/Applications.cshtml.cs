using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Applications to decide (fig. 84–87): accept, or reject after a confirmation.</summary>
public sealed class ApplicationsModel(CourseService courses, EnrolmentService enrolments) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<ApplicationDto> Applications { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        var list = await enrolments.ListApplicationsAsync(Me, id, "pending", ct);
        if (!list.Succeeded)
        {
            return Forbid();
        }
        Applications = list.Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(long id, long applicationId, bool accept, CancellationToken ct)
    {
        var outcome = await enrolments.DecideAsync(Me, id, applicationId, accept, ct);
        return After(outcome.Problem,
            outcome.Succeeded ? (accept ? L("{0} joined the course.", outcome.Value!.User.Name) : L("The application of {0} was rejected.", outcome.Value!.User.Name)) : "",
            $"/courses/{id}/applications");
    }
}
