using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>Editing a workspace's settings (seed 000 §3.3.16): the owner, in a state that allows it; the kind never changes.</summary>
public sealed class WorkspaceEditing(ClasscloudDb db, WorkspaceReader reader, WorkspaceRequestRules requests, AuditLog audit, TimeProvider time)
{
    public async Task<Outcome<WorkspaceDto>> UpdateAsync(long id, Caller caller, WorkspaceRequest request, CancellationToken ct)
    {
        var opened = await reader.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanManage)
        {
            return WorkspaceProblems.NotOwner;
        }
        var w = access.Workspace;
        if (!WorkspaceLifecycle.Allows(w, WorkspaceAction.Edit))
        {
            return WorkspaceProblems.WrongState(w, "edit");
        }
        var problem = await requests.CheckAsync(caller, request.Name, request.Description, request.Visibility, request.GuestAccess, request.CourseId, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Kind is not null && WorkspaceWords.Kind(request.Kind) != w.Kind)
        {
            return Problem.BadRequest("The kind of a workspace cannot change.");
        }
        w.Name = request.Name!.Trim();
        w.Description = request.Description?.Trim() ?? "";
        w.Visibility = WorkspaceWords.Visibility(request.Visibility ?? "private")!.Value;
        w.GuestAccess = WorkspaceWords.Guests(request.GuestAccess ?? "view")!.Value;
        w.CourseId = request.CourseId;
        w.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record("workspace.update", $"workspace:{w.Id}", w.Name);
        await db.SaveChangesAsync(ct);
        return await reader.DtoAsync(access, ct);
    }
}
