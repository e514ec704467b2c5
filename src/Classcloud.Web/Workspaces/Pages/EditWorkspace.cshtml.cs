using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>Edit a stopped workspace's settings (seed 000 §3.3.16).</summary>
public sealed class EditWorkspaceModel(WorkspaceReader workspaces, WorkspaceEditing editing, WorkspaceAccessRules rules) : WorkspacePageModel
{
    [BindProperty]
    public WorkspaceForm Form { get; set; } = new();

    public long Id { get; private set; }

    public IReadOnlyList<(long Id, string Name)> Courses { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var outcome = await workspaces.GetAsync(id, Me, ct);
        if (!outcome.Succeeded || outcome.Value!.Relation != "owner")
        {
            return NotFound();
        }
        Id = id;
        Form = WorkspaceForm.From(outcome.Value);
        Courses = await rules.CoursesOfAsync(Me.UserId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        var outcome = await editing.UpdateAsync(id, Me, Form.ToRequest(), ct);
        if (!outcome.Succeeded)
        {
            if (outcome.Problem!.Status == StatusCodes.Status404NotFound)
            {
                return NotFound();
            }
            Id = id;
            Error = outcome.Problem.Detail;
            Courses = await rules.CoursesOfAsync(Me.UserId, ct);
            return Page();
        }
        Flash(L("The workspace was updated."));
        return LocalRedirect($"/workspaces/{id}");
    }
}
