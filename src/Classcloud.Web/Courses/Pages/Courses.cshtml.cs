using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses.Pages;

/// <summary>My courses (only accepted ones, seed 000 fig. 73) and the course search (fig. 70).</summary>
public sealed class CoursesModel(CourseService courses, EnrolmentService enrolments, IOptions<LimitsOptions> limits) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public bool Searching => Tab == "find" || !string.IsNullOrWhiteSpace(Q);

    public Paged<CourseDto> Result { get; private set; } = new([], 1, 20, 0);

    public async Task OnGetAsync(CancellationToken ct) =>
        Result = await courses.SearchAsync(Me, new CourseQuery(Q, !Searching, PageNumber, 20), limits.Value.MaxPageSize, ct);

    public async Task<IActionResult> OnPostApplyAsync(long id, CancellationToken ct)
    {
        var outcome = await enrolments.ApplyAsync(Me, id, ct);
        var back = $"/courses?tab=find&q={Uri.EscapeDataString(Q ?? "")}";
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, back);
        }
        Flash(outcome.Value!.Status == "accepted" ? L("You joined the course.") : L("Your application was sent. The educator will decide."));
        return LocalRedirect(outcome.Value.Status == "accepted" ? $"/courses/{id}" : back);
    }
}
