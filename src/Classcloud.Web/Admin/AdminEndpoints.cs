using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin;

/// <summary>The administrator's API: users, settings, audit log. Every route needs the admin role.</summary>
public static class AdminEndpoints
{
    public sealed record RoleRequest(string? Role);

    public static void MapAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapGet("/users", SearchUsersAsync);
        api.MapPost("/users/{id:long}/approve", ApproveAsync);
        api.MapPost("/users/{id:long}/disable", (long id, UserAdminService s, ClaimsPrincipal me, CancellationToken ct) => SetDisabledAsync(id, true, s, me, ct));
        api.MapPost("/users/{id:long}/enable", (long id, UserAdminService s, ClaimsPrincipal me, CancellationToken ct) => SetDisabledAsync(id, false, s, me, ct));
        api.MapPut("/users/{id:long}/role", SetRoleAsync);
        api.MapDelete("/users/{id:long}", DeleteUserAsync);
        api.MapGet("/settings", GetSettingsAsync);
        api.MapPut("/settings", PutSettingsAsync);
        api.MapGet("/audit", SearchAuditAsync);
    }

    static async Task<Ok<Paged<AdminUserDto>>> SearchUsersAsync(
        [AsParameters] UserQuery query, UserAdminService users, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await users.SearchAsync(query, limits.Value.MaxPageSize, ct));

    static async Task<Results<Ok<AdminUserDto>, ProblemHttpResult>> ApproveAsync(long id, UserAdminService users, CancellationToken ct) =>
        ToResult(await users.ApproveAsync(id, ct));

    static async Task<Results<Ok<AdminUserDto>, ProblemHttpResult>> SetDisabledAsync(
        long id, bool disabled, UserAdminService users, ClaimsPrincipal me, CancellationToken ct) =>
        ToResult(await users.SetDisabledAsync(id, me.UserId(), disabled, ct));

    static async Task<Results<Ok<AdminUserDto>, ProblemHttpResult>> SetRoleAsync(
        long id, RoleRequest request, UserAdminService users, ClaimsPrincipal me, CancellationToken ct) =>
        ToResult(await users.SetRoleAsync(id, me.UserId(), request.Role, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteUserAsync(long id, UserAdminService users, ClaimsPrincipal me, CancellationToken ct) =>
        await users.DeleteAsync(id, me.UserId(), ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    static async Task<Ok<SettingsDto>> GetSettingsAsync(SettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(SettingsDto.From(await settings.GetAsync(ct)));

    static async Task<Results<Ok<SettingsDto>, ProblemHttpResult>> PutSettingsAsync(SettingsDto request, SettingsService settings, CancellationToken ct)
    {
        var outcome = await settings.UpdateAsync(request, ct);
        return outcome.Succeeded ? TypedResults.Ok(SettingsDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
    }

    static async Task<Ok<Paged<AuditDto>>> SearchAuditAsync(
        [AsParameters] AuditQuery query, AuditQueryService audit, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await audit.SearchAsync(query, limits.Value.MaxPageSize, ct));

    static Results<Ok<AdminUserDto>, ProblemHttpResult> ToResult(Outcome<User> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(AdminUserDto.From(outcome.Value!)) : outcome.Problem!.ToResult();
}
