using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>The group API (issue 6 contract: POST /api/v1/groups, GET /api/v1/groups/{id}, POST …/invitations) and the admin listing.</summary>
public static class GroupEndpoints
{
    public static void MapGroupApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/groups").RequireAuthorization().WithTags("Groups");
        api.MapPost("/", CreateAsync);
        api.MapGet("/", async Task<Ok<IReadOnlyList<GroupSummaryDto>>> (ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            TypedResults.Ok(await groups.MineAsync(Caller.From(user), ct)));
        api.MapGet("/{id:long}", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (long id, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            CourseEndpoints.Reply(await groups.GetAsync(Caller.From(user), id, ct)));
        api.MapPut("/{id:long}", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (long id, GroupRequest request, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            CourseEndpoints.Reply(await groups.UpdateAsync(Caller.From(user), id, request, ct)));
        api.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            CourseEndpoints.Done(await groups.DeleteAsync(Caller.From(user), id, ct)));
        api.MapPost("/{id:long}/invitations", InviteAsync);
        api.MapPut("/{id:long}/members/{userId:long}", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (long id, long userId, RoleRequest request, ClaimsPrincipal user, GroupMembershipService members, CancellationToken ct) =>
            CourseEndpoints.Reply(await members.SetRoleAsync(Caller.From(user), id, userId, request, ct)));
        api.MapDelete("/{id:long}/members/me", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal user, GroupMembershipService members, CancellationToken ct) =>
            CourseEndpoints.Done(await members.RemoveAsync(Caller.From(user), id, user.UserId(), ct)));
        api.MapDelete("/{id:long}/members/{userId:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, long userId, ClaimsPrincipal user, GroupMembershipService members, CancellationToken ct) =>
            CourseEndpoints.Done(await members.RemoveAsync(Caller.From(user), id, userId, ct)));
        api.MapGet("/invitations", async Task<Ok<IReadOnlyList<GroupInvitationDto>>> (ClaimsPrincipal user, GroupInvitations members, CancellationToken ct) =>
            TypedResults.Ok(await members.MineAsync(Caller.From(user), ct)));
        api.MapPost("/invitations/{invitationId:long}/accept", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (long invitationId, ClaimsPrincipal user, GroupInvitations members, CancellationToken ct) =>
            CourseEndpoints.Reply(await members.AnswerAsync(Caller.From(user), invitationId, true, ct)));
        api.MapPost("/invitations/{invitationId:long}/decline", async Task<Results<NoContent, ProblemHttpResult>> (long invitationId, ClaimsPrincipal user, GroupInvitations members, CancellationToken ct) =>
            await members.AnswerAsync(Caller.From(user), invitationId, false, ct) is { Succeeded: false } o ? o.Problem!.ToResult() : TypedResults.NoContent());

        var admin = app.MapGroup("/api/v1/admin/groups").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("/", SearchAsync);
        admin.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            CourseEndpoints.Done(await groups.DeleteAsync(Caller.From(user), id, ct)));
    }

    static async Task<Results<Created<GroupDto>, ProblemHttpResult>> CreateAsync(GroupRequest request, ClaimsPrincipal user, GroupService groups, CancellationToken ct)
    {
        var outcome = await groups.CreateAsync(Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/groups/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Created<GroupInvitationDto>, ProblemHttpResult>> InviteAsync(
        long id, InvitationRequest request, ClaimsPrincipal user, GroupInvitations members, CancellationToken ct)
    {
        var outcome = await members.InviteAsync(Caller.From(user), id, request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/groups/{id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Ok<Paged<AdminGroupDto>>> SearchAsync(string? q, int? page, int? pageSize, GroupAdminService admin, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await admin.SearchAsync(q, page, pageSize, limits.Value.MaxPageSize, ct));
}
