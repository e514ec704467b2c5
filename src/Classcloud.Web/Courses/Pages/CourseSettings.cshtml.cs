using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Change the course (CLASS05) or delete it after a confirmation (fig. 93–95).</summary>
public sealed class CourseSettingsModel(CourseService courses, IOptions<WorkspacesOptions> workspaces) : AppPageModel
{
    /// <summary>The installation's idle times in minutes (zero: never), shown where the course sets none.</summary>
    public (int Suspend, int Stop) IdleDefaults => ((int)workspaces.Value.IdleSuspendAfter.TotalMinutes, (int)workspaces.Value.IdleStopAfter.TotalMinutes);

    [BindProperty]
    public CourseForm Form { get; set; } = new();

    public CourseDto Course { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        Form = CourseForm.From(Course);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        var outcome = await courses.UpdateAsync(Me, id, Form.ToRequest(), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        Flash(L("Saved."));
        return LocalRedirect($"/courses/{id}/settings");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, [FromServices] CourseDeletion deletion, CancellationToken ct)
    {
        var problem = await deletion.DeleteAsync(Me, id, ct);
        return problem is null ? After(null, L("The course was deleted."), "/courses") : Fail(problem, $"/courses/{id}/settings");
    }

    async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        if (!course.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        return Course.MyStatus is "owner" or "coeducator" or "admin" ? null : Forbid();
    }
}
