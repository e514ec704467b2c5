using System.Security.Claims;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Classcloud.Web.Projects.Domains;

/// <summary>Custom domains for a project's managers, and the anonymous question Caddy's on-demand TLS asks.</summary>
public static class DomainEndpoints
{
    public const string AskPath = "/api/v1/domains/ask";

    public static void MapProjectDomains(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/projects/{id:long}/domains").RequireAuthorization().WithTags("Projects");
        api.MapGet("/", async (long id, ClaimsPrincipal user, ProjectDomains s, CancellationToken ct) => Reply(await s.ListAsync(id, Caller.From(user), ct)));
        api.MapPost("/", AddAsync);
        api.MapPost("/{domain}/verify", async (long id, string domain, ClaimsPrincipal user, ProjectDomains s, CancellationToken ct) =>
            Reply(await s.VerifyAsync(id, domain, Caller.From(user), ct)));
        api.MapDelete("/{domain}", async Task<Results<NoContent, ProblemHttpResult>> (long id, string domain, ClaimsPrincipal user, ProjectDomains s, CancellationToken ct) =>
            await s.RemoveAsync(id, domain, Caller.From(user), ct) is { } problem ? problem.ToResult() : TypedResults.NoContent());
        // Caddy: `on_demand_tls { ask http://127.0.0.1:<port>/api/v1/domains/ask }` sends ?domain=; any answer but 200 refuses the certificate.
        app.MapGet(AskPath, async Task<Results<Ok, NotFound>> (string? domain, ProjectDomains s, CancellationToken ct) =>
            await s.IsVerifiedAsync(domain, ct) ? TypedResults.Ok() : TypedResults.NotFound()).AllowAnonymous().WithTags("Projects");
    }

    static async Task<Results<Created<DomainDto>, ProblemHttpResult>> AddAsync(long id, DomainRequest request, ClaimsPrincipal user, ProjectDomains s, CancellationToken ct)
    {
        var outcome = await s.AddAsync(id, Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/projects/{id}/domains/{outcome.Value!.Domain}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
}
