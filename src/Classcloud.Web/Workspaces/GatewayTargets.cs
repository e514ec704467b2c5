using System.Security.Claims;
using Classcloud.Platform;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Gateway;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The Workspaces side of the gateway contract: who may connect (<see cref="WorkspaceAccess"/>),
/// resuming a suspended workspace, the audit entry for anyone but the owner, and where to connect.
/// </summary>
public sealed class GatewayTargets(
    ClasscloudDb db, WorkspaceReader workspaces, WorkspaceEngine engine, WorkspaceNames names, AuditLog audit, DesktopEndpoints desktops) : IGatewayTargets
{
    public async Task<Outcome<GatewayTarget>> ResolveAsync(long workspaceId, ClaimsPrincipal user, GatewayChannel channel, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Problem.Unauthorized("Sign in to connect to a workspace.");
        }
        var caller = Caller.From(user);
        var opened = await workspaces.OpenAsync(workspaceId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var w = access.Workspace;
        if (channel == GatewayChannel.Vnc && w.Kind != WorkspaceKind.Desktop)
        {
            return Problem.BadRequest("This workspace is a terminal; it has no desktop to show.");
        }
        if (w.State == WorkspaceState.Suspended)
        {
            try
            {
                await engine.ResumeAsync(w, ct);
            }
            catch (PlatformException ex)
            {
                return Problem.Conflict("The workspace could not be resumed: {0}", ex.Message);
            }
        }
        else if (!WorkspaceLifecycle.Allows(w, WorkspaceAction.Connect))
        {
            return Problem.Conflict("The workspace is {0}; it can be connected to only while it runs.", Sentences.Format(WorkspaceWords.StateKey(WorkspaceLifecycle.Word(w.State)), []));
        }
        string? host = null;
        string? password = null;
        if (channel == GatewayChannel.Vnc)
        {
            // No address yet: a desktop just claimed from the warm pool is moving to its owner's network.
            host = await desktops.AddressAsync(w, ct);
            if (host is null)
            {
                return new Problem(StatusCodes.Status502BadGateway, "The desktop did not answer; wait a moment and connect again.");
            }
            password = desktops.Password(w);
        }
        var display = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Nickname).SingleOrDefaultAsync(ct)
            ?? user.FindFirstValue(ClaimNames.Nickname) ?? "";
        if (!access.IsOwner)
        {
            audit.Record("workspace.connect", $"workspace:{w.Id}",
                $"{channel.ToString().ToLowerInvariant()} as {WorkspaceWords.Of(access.Relation)}, {(access.CanControl ? "control" : "view only")}");
            await db.SaveChangesAsync(ct);
        }
        return new GatewayTarget(w.Id, caller.UserId, display, access.CanControl, names.Workload(w), host,
            channel == GatewayChannel.Vnc ? desktops.Port : 0, password);
    }

    public async Task<bool> StillAllowedAsync(long workspaceId, long userId, bool hadControl, CancellationToken ct)
    {
        // From the database, not the connection's cookie: a disabled account or a changed role counts at once.
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Status, u.Role }).SingleOrDefaultAsync(ct);
        if (user is null || user.Status == AccountStatus.Disabled)
        {
            return false;
        }
        var opened = await workspaces.OpenAsync(workspaceId, new Caller(userId, user.Role == AccountRole.Admin), ct);
        return opened.Succeeded && (!hadControl || opened.Value!.CanControl);
    }
}
