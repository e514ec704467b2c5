using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>Public workspaces, searched by name (seed 000 §3.3.7): any signed-in user may join them as a guest.</summary>
public sealed class DirectoryModel(WorkspaceReader workspaces) : WorkspacePageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<PublicWorkspaceDto> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await workspaces.PublicAsync(Q, ct);
}
