using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Pages;

public sealed class NewProjectModel(ProjectService projects, IOptions<ProjectsOptions> options) : AppPageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string Access { get; set; } = ProjectAccess.Public;

    [BindProperty]
    public string? Template { get; set; }

    public string AppsDomain => options.Value.AppsDomain;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await projects.CreateAsync(Me, new ProjectRequest(Name?.Trim(), string.IsNullOrEmpty(Template) ? null : Template, Access, null, null), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        Flash(L("Project created. Upload its source and deploy it."));
        return LocalRedirect($"/projects/{outcome.Value!.Id}");
    }
}
