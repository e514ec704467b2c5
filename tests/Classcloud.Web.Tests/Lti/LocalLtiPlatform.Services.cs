using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Tests.Lti;

/// <summary>
/// The platform's services: the token endpoint (client credentials with the tool's signed assertion), Names and Role
/// Provisioning 2.0 (paged membership) and Assignment and Grade Services 2.0 (line items and scores), each checking
/// the bearer token's scope.
/// </summary>
public sealed partial class LocalLtiPlatform
{
    /// <summary>The client-credentials grant with a JWT client assertion signed by the tool (RFC 7523).</summary>
    async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || ToolKeys is null)
        {
            return Results.BadRequest(new { error = "invalid_request" });
        }
        var assertion = new JsonWebToken(form["client_assertion"].ToString());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = assertion.Issuer,
            ValidAudience = Issuer + "/token",
            IssuerSigningKeys = ToolKeys.Keys,
        });
        if (!result.IsValid || assertion.Subject != assertion.Issuer)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }
        var token = Guid.NewGuid().ToString("N");
        accessTokens[token] = form["scope"].ToString();
        return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 3600, scope = form["scope"].ToString() });
    }

    bool Allowed(HttpContext http, string scope) =>
        http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && accessTokens.TryGetValue(header["Bearer ".Length..], out var scopes) && scopes.Split(' ').Contains(scope);

    IResult Memberships(string context, HttpContext http, int? limit, int? offset)
    {
        if (!Allowed(http, "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"))
        {
            return Results.Unauthorized();
        }
        if (RawRosters.TryGetValue(context, out var raw))
        {
            return Results.Text(raw, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
        }
        var all = Rosters.GetValueOrDefault(context) ?? [];
        var (from, size) = (offset ?? 0, Math.Clamp(limit ?? 10, 1, 1000));
        PagesServed.Enqueue($"{from}/{size}");
        if (from + size < all.Count)
        {
            http.Response.Headers.Append("Link", $"<{Issuer}/memberships/{context}?limit={size}&offset={from + size}>; rel=\"next\"");
        }
        return Results.Json(new { id = $"{Issuer}/memberships/{context}", context = new { id = context }, members = all.Skip(from).Take(size) },
            contentType: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
    }

    IResult LineItems(string context, HttpContext http, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "resource_id")] string? resourceId)
    {
        if (!Allowed(http, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"))
        {
            return Results.Unauthorized();
        }
        var items = LineItemsOf.GetValueOrDefault(context) ?? [];
        lock (items)
        {
            return Results.Json(items.Where(i => resourceId is null || i["resourceId"]?.GetValue<string>() == resourceId).ToList(),
                contentType: "application/vnd.ims.lis.v2.lineitemcontainer+json");
        }
    }

    async Task<IResult> AddLineItemAsync(string context, HttpContext http)
    {
        if (!Allowed(http, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem") || http.Request.ContentType?.StartsWith("application/vnd.ims.lis.v2.lineitem+json", StringComparison.Ordinal) != true)
        {
            return Results.Unauthorized();
        }
        var item = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        if (item["scoreMaximum"] is null || item["label"] is null)
        {
            return Results.BadRequest();
        }
        var items = LineItemsOf.GetOrAdd(context, _ => []);
        lock (items)
        {
            item["id"] = $"{Issuer}/lineitems/{context}/{items.Count + 1}";
            items.Add(item);
        }
        return Results.Json(item, statusCode: 201, contentType: "application/vnd.ims.lis.v2.lineitem+json");
    }

    async Task<IResult> AddScoreAsync(string context, int item, HttpContext http)
    {
        if (!Allowed(http, "https://purl.imsglobal.org/spec/lti-ags/scope/score") || http.Request.ContentType?.StartsWith("application/vnd.ims.lis.v1.score+json", StringComparison.Ordinal) != true)
        {
            return Results.Unauthorized();
        }
        var score = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        var list = Scores.GetOrAdd($"{Issuer}/lineitems/{context}/{item}", _ => []);
        lock (list)
        {
            list.Add(score);
        }
        return Results.NoContent();
    }
}
