using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Classcloud.Web.Workspaces.Sizes;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Creating a workspace from the form or the API: a base image or one of the caller's snapshots, in a size the caller may pick.</summary>
public sealed class WorkspaceCreation(ClasscloudDb db, WorkspaceRequestRules requests, WorkspaceSizes sizes, WorkspaceNames names, WorkspaceAdder adder)
{
    public async Task<Outcome<CreatedWorkspaceDto>> CreateAsync(Caller caller, WorkspaceRequest request, CancellationToken ct)
    {
        var settingsProblem = await requests.CheckAsync(caller, request.Name, request.Description, request.Visibility, request.GuestAccess, request.CourseId, ct);
        if (settingsProblem is not null)
        {
            return settingsProblem;
        }
        var kind = WorkspaceWords.Kind(request.Kind ?? "terminal");
        if (kind is null)
        {
            return Problem.BadRequest("The kind must be terminal or desktop.");
        }
        var role = caller.IsAdmin ? AccountRole.Admin : await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Role).SingleAsync(ct);
        if (sizes.Pick(role, request.Size) is not { } size)
        {
            return Problem.BadRequest("There is no size '{0}' for you; pick one of: {1}.", request.Size ?? "", string.Join(", ", sizes.For(role).Select(s => s.Name)));
        }
        string image;
        long? snapshotId = null;
        if (request.SnapshotId is { } sid)
        {
            var snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == sid && s.OwnerId == caller.UserId, ct);
            if (snapshot is null)
            {
                return Problem.BadRequest("No such snapshot among yours.");
            }
            if (request.Kind is not null && kind != snapshot.Kind)
            {
                return Problem.BadRequest("That snapshot is a {0} workspace.", WorkspaceWords.Of(snapshot.Kind));
            }
            (image, snapshotId, kind) = (snapshot.Image, snapshot.Id, snapshot.Kind);
        }
        else
        {
            image = names.BaseImage(kind.Value);
        }
        // A workspace from one of the user's own snapshots is made for it; a base image comes from the warm pool when it has
        // one and the standard size is asked for (the pool's containers have the standard ceilings).
        var standard = sizes.Resources(size.Name) == sizes.Resources(null);
        return await adder.AddAsync(caller, request.Name!, request.Description, kind.Value, request.Visibility, request.GuestAccess, request.CourseId, image, snapshotId,
            snapshotId is null && standard ? WarmPool.Key(kind.Value) : null, request.Start == true, size.Name, ct);
    }
}
