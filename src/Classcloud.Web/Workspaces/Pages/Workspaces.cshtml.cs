using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>My workspaces (seed 000 fig. 42), the course-linked ones I may join, and all of them for administrators.</summary>
public sealed class WorkspacesModel(WorkspaceReader workspaces) : WorkspacePageModel
{
    [BindProperty(SupportsGet = true, Name = "scope")]
    public string? ScopeParameter { get; set; }

    public string Scope => ScopeParameter is "course" or "all" ? ScopeParameter : "mine";

    public IReadOnlyList<WorkspaceDto> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var outcome = await workspaces.ListAsync(Scope, Me, ct);
        if (!outcome.Succeeded)
        {
            return Forbid();
        }
        Items = outcome.Value!;
        return Page();
    }

    /// <summary>The list alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetListAsync(CancellationToken ct)
    {
        var outcome = await workspaces.ListAsync(Scope, Me, ct);
        return outcome.Succeeded ? Partial("/Workspaces/Pages/_List.cshtml", outcome.Value!) : Forbid();
    }
}
