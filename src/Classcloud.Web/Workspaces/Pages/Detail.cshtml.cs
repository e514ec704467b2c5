using Classcloud.Web.Gateway;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>One workspace: state and actions, who is connected, snapshots (start from any, export a key) and keys (revoke).</summary>
public sealed class DetailModel(WorkspaceReader workspaces, WorkspaceActions actions, WorkspaceKeys keys) : WorkspacePageModel
{
    const string KeyFlash = "workspaces.key";

    public WorkspaceDto Workspace { get; private set; } = null!;

    public IReadOnlyList<SnapshotDto>? Snapshots { get; private set; }

    public IReadOnlyList<KeyDto>? Keys { get; private set; }

    public IReadOnlyList<PresenceEntry> Present { get; private set; } = [];

    public string? NewKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var outcome = await workspaces.GetAsync(id, Me, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        Workspace = outcome.Value!;
        if (Workspace.Relation is "owner" or "admin")
        {
            Snapshots = (await workspaces.SnapshotsAsync(id, Me, ct)).Value;
            Keys = (await keys.ListAsync(id, Me, ct)).Value;
        }
        // Registered by the gateway; without it nobody can be connected.
        Present = HttpContext.RequestServices.GetService<IWorkspacePresence>()?.Who(id) ?? [];
        NewKey = TempData[KeyFlash] as string;
        return Page();
    }

    /// <summary>A button elsewhere (the home) may ask to come back to its own page; only local addresses are followed.</summary>
    public Task<IActionResult> OnPostActAsync(long id, string? action, long? snapshotId, string? returnUrl, CancellationToken ct) =>
        ActAsync(actions, id, action, snapshotId, Url.IsLocalUrl(returnUrl) ? returnUrl : $"/workspaces/{id}", ct);

    public async Task<IActionResult> OnPostExportAsync(long id, long? snapshotId, CancellationToken ct)
    {
        var outcome = await keys.ExportAsync(id, Me, new ExportRequest(snapshotId, null), ct);
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, $"/workspaces/{id}");
        }
        TempData[KeyFlash] = outcome.Value!.Key;
        return LocalRedirect($"/workspaces/{id}");
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, long keyId, CancellationToken ct) =>
        After(await keys.RevokeAsync(keyId, Me, ct), L("The key was revoked."), $"/workspaces/{id}");
}
