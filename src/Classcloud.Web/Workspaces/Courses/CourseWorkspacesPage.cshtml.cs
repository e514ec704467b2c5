using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>
/// /courses/{id}/workspaces: my course workspaces, the ones the educators share, and — for educators — every
/// student's with state, last activity and a watch link (seed 000 §3.4.2.2 items 5 and 7).
/// </summary>
public sealed class CourseWorkspacesPageModel(CourseService courses, CourseWorkspaces workspaces) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<CourseWorkspaceDto> Mine { get; private set; } = [];

    public IReadOnlyList<CourseWorkspaceDto> Shared { get; private set; } = [];

    public IReadOnlyList<CourseWorkspaceDto> Students { get; private set; } = [];

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        var listed = await workspaces.ListAsync(id, Me, ct);
        if (!course.Succeeded || !listed.Succeeded)
        {
            return NotFound();
        }
        Course = course.Value!;
        var all = listed.Value!;
        Mine = [.. all.Where(w => w.OwnerId == Me.UserId)];
        Shared = [.. all.Where(w => w.OwnerId != Me.UserId && w.OwnerTeaches)];
        Students = [.. all.Where(w => w.OwnerId != Me.UserId && !w.OwnerTeaches)];
        return Page();
    }
}
