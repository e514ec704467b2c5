using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>
/// The connect page: the gateway's terminal or desktop view for a workspace the caller may join. The
/// permission is decided again by the gateway (IGatewayTargets) when the WebSocket opens.
/// </summary>
public sealed class ConnectModel(WorkspaceService workspaces) : WorkspacePageModel
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
        if (Workspace.State is not (WorkspaceStates.Running or WorkspaceStates.Suspended))
        {
            FlashError(L("The workspace is {0}; it can be connected to only while it runs.", L(Workspace.State)));
            return LocalRedirect($"/workspaces/{id}");
        }
        return Page();
    }
}
