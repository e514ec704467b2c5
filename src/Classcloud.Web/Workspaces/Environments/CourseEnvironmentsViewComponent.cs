using Classcloud.Web.Courses;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>The environments list with one-click buttons, for pages of other features (course home, new workspace).</summary>
public sealed class CourseEnvironmentsViewComponent(CourseEnvironments environments) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long? courseId)
    {
        var caller = Caller.From(HttpContext.User);
        var ct = HttpContext.RequestAborted;
        IReadOnlyList<(string, EnvironmentDto)> items = [];
        if (courseId is { } id)
        {
            var listed = await environments.ListAsync(id, caller, ct);
            items = listed.Succeeded ? [.. listed.Value!.Select(e => ("", e))] : [];
        }
        else
        {
            items = await environments.OfMyCoursesAsync(caller, ct);
        }
        return View("/Workspaces/Environments/_EnvironmentList.cshtml", (courseId, items));
    }
}
