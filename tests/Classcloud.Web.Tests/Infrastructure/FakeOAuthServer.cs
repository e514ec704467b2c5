using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Who signs in at the fake provider: its user-info answer and, for GitHub, its /user/emails list.</summary>
public sealed record FakeAccount(object UserInfo, object? Emails = null);

/// <summary>
/// A small OAuth 2.0 authorization server on a real loopback port (RFC 6749 §4.1 with PKCE, RFC 7636):
/// /authorize sends the browser back with a code, /token trades the code for a token after checking
/// the client and the verifier, /user (and /user/emails) answer for that token only.
/// </summary>
public sealed class FakeOAuthServer : IAsyncLifetime
{
    public const string ClientId = "classcloud-test-client";
    public const string ClientSecret = "classcloud-test-secret";

    readonly ConcurrentDictionary<string, Grant> codes = new();
    readonly ConcurrentDictionary<string, FakeAccount> tokens = new();
    WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The account the next visitor of /authorize signs in as (consent is implied).</summary>
    public FakeAccount? NextAccount { get; set; }

    /// <summary>The browser's side of the dance: follows nothing by itself, has no cookies.</summary>
    public HttpClient Browser { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    sealed record Grant(FakeAccount Account, string RedirectUri, string? CodeChallenge);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapGet("/authorize", Authorize);
        app.MapPost("/token", (Delegate)TokenAsync);
        app.MapGet("/user", (HttpContext http) => Bearer(http) is { } account ? Results.Json(account.UserInfo) : Results.Unauthorized());
        app.MapGet("/user/emails", (HttpContext http) => Bearer(http) is { } account
            ? account.Emails is null ? Results.NotFound() : Results.Json(account.Emails)
            : Results.Unauthorized());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        Browser.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    IResult Authorize(HttpContext http)
    {
        var q = http.Request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["state"]))
        {
            return Results.BadRequest("bad authorization request");
        }
        if (NextAccount is null)
        {
            return Results.BadRequest("the test did not say who signs in");
        }
        if (!string.IsNullOrEmpty(q["code_challenge"]) && q["code_challenge_method"] != "S256")
        {
            return Results.BadRequest("only S256 PKCE");
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        codes[code] = new Grant(NextAccount, q["redirect_uri"]!, q["code_challenge"].ToString() is { Length: > 0 } c ? c : null);
        return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
    }

    async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var (id, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var basic) && basic.Scheme == "Basic")
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic.Parameter ?? "")).Split(':', 2);
            (id, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair.ElementAtOrDefault(1) ?? ""));
        }
        if (id != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }
        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }
        if (grant.CodeChallenge is not null &&
            Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier mismatch" }, statusCode: 400);
        }
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        tokens[token] = grant.Account;
        return Results.Json(new { access_token = token, token_type = "bearer", expires_in = 3600 });
    }

    FakeAccount? Bearer(HttpContext http) =>
        AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var h) && h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) &&
        h.Parameter is { } token && tokens.TryGetValue(token, out var account) ? account : null;
}
