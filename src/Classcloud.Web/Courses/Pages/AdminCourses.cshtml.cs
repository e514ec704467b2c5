using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Administrators see, search and delete every course (seed 000 §3.5.6, fig. 117).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AdminCoursesModel(CourseAdminService admin, CourseDeletion deletion) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public Paged<AdminCourseDto> Result { get; private set; } = new([], 1, 20, 0);

    public async Task OnGetAsync(CancellationToken ct) => Result = await admin.SearchAsync(Q, PageNumber, 20, 100, ct);

    public async Task<IActionResult> OnPostDeleteAsync(long id, string? name, CancellationToken ct) =>
        After(await deletion.DeleteAsync(Me, id, ct), L("The course {0} was deleted.", name ?? ""), $"/admin/courses?q={Uri.EscapeDataString(Q ?? "")}");
}
