using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>Create a course (seed 000 fig. 82): approved educators only.</summary>
[Authorize(Policy = Policies.Educator)]
public sealed class NewCourseModel(CourseService courses) : AppPageModel
{
    [BindProperty]
    public CourseForm Form { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await courses.CreateAsync(Me, Form.ToRequest(), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        Flash(L("The course {0} is ready.", outcome.Value!.Name));
        return LocalRedirect($"/courses/{outcome.Value.Id}");
    }
}

/// <summary>The course form of the create and settings pages.</summary>
public sealed class CourseForm
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Section { get; set; }
    public int? Capacity { get; set; }
    public string JoinPolicy { get; set; } = "approval";
    /// <summary>Only on the settings page (the create page leaves them empty: the installation default).</summary>
    public int? IdleSuspendMinutes { get; set; }
    public int? IdleStopMinutes { get; set; }

    public CourseRequest ToRequest() => new(Name, Description, Section, Capacity, JoinPolicy, IdleSuspendMinutes, IdleStopMinutes);

    public static CourseForm From(CourseDto c) => new()
    {
        Name = c.Name, Description = c.Description, Section = c.Section, Capacity = c.Capacity, JoinPolicy = c.JoinPolicy,
        IdleSuspendMinutes = c.IdleSuspendMinutes, IdleStopMinutes = c.IdleStopMinutes,
    };
}
