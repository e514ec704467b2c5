using Classcloud.Web.Courses.Pages;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Pages;

/// <summary>The projects the caller manages.</summary>
public sealed class ProjectsModel(ProjectService projects) : AppPageModel
{
    public IReadOnlyList<ProjectDto> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await projects.ListAsync(Me, ct);
}
