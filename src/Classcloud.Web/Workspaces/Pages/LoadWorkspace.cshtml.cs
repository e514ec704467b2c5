using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>Load: a key + a name + settings → a new workspace of mine from that snapshot (seed 000 fig. 57).</summary>
public sealed class LoadWorkspaceModel(WorkspaceLoading keys, WorkspaceAccessRules rules) : WorkspacePageModel
{
    [BindProperty]
    public WorkspaceForm Form { get; set; } = new();

    public IReadOnlyList<(long Id, string Name)> Courses { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Courses = await rules.CoursesOfAsync(Me.UserId, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await keys.LoadAsync(Me, new LoadRequest(Form.Key, Form.Name, Form.Description, Form.Visibility, Form.GuestAccess, Form.CourseId), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            Courses = await rules.CoursesOfAsync(Me.UserId, ct);
            return Page();
        }
        Flash(L("The workspace {0} is being created from the key.", Form.Name ?? ""));
        return LocalRedirect("/workspaces");
    }
}
