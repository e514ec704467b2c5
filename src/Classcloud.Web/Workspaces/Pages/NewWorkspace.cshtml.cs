using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>Create a workspace: a base image or one of my snapshots, visibility, guest access, linked course.</summary>
public sealed class NewWorkspaceModel(WorkspaceCreation workspaces, WorkspaceAccessRules rules, Sizes.WorkspaceSizes sizes) : WorkspacePageModel
{
    [BindProperty]
    public WorkspaceForm Form { get; set; } = new();

    public IReadOnlyList<(long Id, string Name)> Courses { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name)> Snapshots { get; private set; } = [];

    /// <summary>The sizes this person may pick (the same list as GET /api/v1/workspace-sizes).</summary>
    public IReadOnlyList<Sizes.WorkspaceSizeDto> SizeChoices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The page starts what it creates (issue 17): a person who clicks "create" wants to use it now.
        var request = Form.ToRequest() with { Start = true };
        // A snapshot decides the kind itself.
        var outcome = await workspaces.CreateAsync(Me, Form.SnapshotId is null ? request : request with { Kind = null }, ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            await LoadAsync(ct);
            return Page();
        }
        Flash(L("The workspace {0} is being created and started.", Form.Name ?? ""));
        return LocalRedirect("/workspaces");
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Courses = await rules.CoursesOfAsync(Me.UserId, ct);
        Snapshots = await rules.SnapshotsOfAsync(Me.UserId, ct);
        SizeChoices = sizes.For(Sizes.WorkspaceSizeEndpoints.RoleOf(User));
    }
}
