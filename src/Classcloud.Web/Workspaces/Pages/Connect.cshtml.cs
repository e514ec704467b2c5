using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>
/// The connect page: the gateway's terminal or desktop view for a workspace the caller may join. The
/// permission is decided again by the gateway (IGatewayTargets) when the WebSocket opens.
/// </summary>
public sealed class ConnectModel(WorkspaceReader workspaces) : WorkspacePageModel
{
    public WorkspaceDto Workspace { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var outcome = await workspaces.GetAsync(id, Me, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        Workspace = outcome.Value!;
        if (!Workspace.Actions.Contains(WorkspaceLifecycle.Word(WorkspaceAction.Connect)))
        {
            FlashError(L("The workspace is {0}; it can be connected to only while it runs.", L(WorkspaceWords.StateKey(Workspace.State))));
            return LocalRedirect($"/workspaces/{id}");
        }
        return Page();
    }
}
