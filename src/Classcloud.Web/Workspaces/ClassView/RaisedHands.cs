using System.Security.Claims;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces.ClassView;

/// <summary>Raise or lower the hand of a course workspace (omitted: raise).</summary>
public sealed record HandRequest(bool? Raised);

/// <summary>A workspace's hand as the session's toolbar shows it.</summary>
public sealed record HandDto(long WorkspaceId, DateTime? RaisedAt);

/// <summary>
/// A raised hand (issue 17): the student asks for help from their course workspace's session and the teacher's class
/// view shows it on the card. Kept on the workspace row, not in the gateway's presence, because the class view may be
/// served by another process than the student's terminal. The owner raises and lowers it; the course's educators and
/// administrators lower it once they have helped (they may see the workspace, so a refusal names nothing more).
/// </summary>
public sealed class RaisedHands(ClasscloudDb db, WorkspaceReader reader, TimeProvider clock)
{
    public async Task<Outcome<HandDto>> SetAsync(long id, Caller caller, bool raised, CancellationToken ct)
    {
        var opened = await reader.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var w = access.Workspace;
        if (w.CourseId is null)
        {
            return Problem.Conflict("Only a course workspace has a hand to raise: the course's teachers see it.");
        }
        var helper = access.Relation is Relation.CourseEducator or Relation.Admin;
        if (!access.IsOwner && !(helper && !raised))
        {
            return Problem.Forbidden("Only the workspace's owner raises its hand; the course's educators can lower it.");
        }
        w.HandRaisedAt = raised ? w.HandRaisedAt ?? WholeMicroseconds(clock.GetUtcNow().UtcDateTime) : null;
        await db.SaveChangesAsync(ct);
        return new HandDto(w.Id, w.HandRaisedAt);
    }

    // PostgreSQL keeps microseconds: the time answered now is the one every later read gives.
    static DateTime WholeMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMicrosecond, t.Kind);
}

/// <summary>POST /api/v1/workspaces/{id}/hand <c>{ "raised": true|false }</c>.</summary>
public static class RaisedHandEndpoints
{
    public static void MapRaisedHandApi(this WebApplication app) =>
        app.MapPost("/api/v1/workspaces/{id:long}/hand", SetAsync).RequireAuthorization().WithTags("Workspaces");

    static async Task<Results<Ok<HandDto>, ProblemHttpResult>> SetAsync(long id, HandRequest? request, ClaimsPrincipal user, RaisedHands hands, CancellationToken ct)
    {
        var outcome = await hands.SetAsync(id, Caller.From(user), request?.Raised ?? true, ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
    }
}
