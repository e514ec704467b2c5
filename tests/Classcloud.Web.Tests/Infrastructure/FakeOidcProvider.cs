using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>Who signs in at the fake OpenID Connect provider.</summary>
public sealed record FakeOidcAccount(string Subject, string Email, bool EmailVerified, string Name);

/// <summary>What is wrong with the next id_token the provider issues.</summary>
public enum IdTokenDefect
{
    None,
    /// <summary>Signed, then its claims changed (another subject and address): the signature no longer matches.</summary>
    TamperedAfterSigning,
    /// <summary>Correctly signed, but issued to another client.</summary>
    OtherAudience,
}

/// <summary>
/// A small OpenID Connect provider on a real loopback port, with one issuer per realm
/// (<c>/realms/{realm}</c>, as Keycloak lays them out): a discovery document, a JWKS with one RSA key,
/// /authorize that sends the browser back with a code, /token that checks the client and the PKCE
/// verifier and returns an RS256-signed id_token carrying the nonce, and /userinfo.
/// </summary>
public sealed class FakeOidcProvider : IAsyncLifetime
{
    public const string ClientId = "classcloud-oidc-client";
    public const string ClientSecret = "classcloud-oidc-secret";
    const string KeyId = "fake-oidc-key-1";

    readonly RSA key = RSA.Create(2048);
    readonly ConcurrentDictionary<string, Grant> codes = new();
    readonly ConcurrentDictionary<string, FakeOidcAccount> tokens = new();
    WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The account the next visitor of /authorize signs in as (consent is implied).</summary>
    public FakeOidcAccount? NextAccount { get; set; }

    /// <summary>Applies to the next code issued, then is back to None.</summary>
    public IdTokenDefect NextDefect { get; set; }

    /// <summary>The browser's side of the dance: follows nothing by itself, has no cookies.</summary>
    public HttpClient Browser { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public string Issuer(string realm) => new Uri(BaseAddress, $"realms/{realm}").AbsoluteUri;

    sealed record Grant(string Realm, FakeOidcAccount Account, string RedirectUri, string? Nonce, string CodeChallenge, IdTokenDefect Defect);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        var realms = app.MapGroup("/realms/{realm}");
        realms.MapGet("/.well-known/openid-configuration", (string realm) => Results.Json(Discovery(realm)));
        realms.MapGet("/jwks", () => Results.Json(new { keys = new[] { Jwk() } }));
        realms.MapGet("/authorize", Authorize);
        realms.MapPost("/token", (Delegate)TokenAsync);
        realms.MapGet("/userinfo", (HttpContext http) => Bearer(http) is { } a
            ? Results.Json(new { sub = a.Subject, email = a.Email, email_verified = a.EmailVerified, name = a.Name })
            : Results.Unauthorized());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        Browser.Dispose();
        key.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    Dictionary<string, object> Discovery(string realm)
    {
        var issuer = Issuer(realm);
        return new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/authorize",
            ["token_endpoint"] = issuer + "/token",
            ["userinfo_endpoint"] = issuer + "/userinfo",
            ["jwks_uri"] = issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        };
    }

    object Jwk()
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url.EncodeToString(p.Modulus), e = Base64Url.EncodeToString(p.Exponent) };
    }

    IResult Authorize(string realm, HttpContext http)
    {
        var q = http.Request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || string.IsNullOrEmpty(q["redirect_uri"]) || string.IsNullOrEmpty(q["state"]))
        {
            return Results.BadRequest("bad authorization request");
        }
        if (!q["scope"].ToString().Split(' ').Contains("openid") || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
        {
            return Results.BadRequest("an OpenID Connect request with an S256 PKCE challenge was expected");
        }
        if (NextAccount is null)
        {
            return Results.BadRequest("the test did not say who signs in");
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        codes[code] = new Grant(realm, NextAccount, q["redirect_uri"]!, q["nonce"], q["code_challenge"]!, NextDefect);
        NextDefect = IdTokenDefect.None;
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
        if (Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier mismatch" }, statusCode: 400);
        }
        var accessToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        tokens[accessToken] = grant.Account;
        return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 300, id_token = IdToken(grant) });
    }

    /// <summary>A compact JWS (RFC 7515) signed with RS256, written out by hand so the test does not lean on the library it tests.</summary>
    string IdToken(Grant grant)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Dictionary<string, object?> Claims(FakeOidcAccount a) => new()
        {
            ["iss"] = Issuer(grant.Realm),
            ["sub"] = a.Subject,
            ["aud"] = grant.Defect == IdTokenDefect.OtherAudience ? "some-other-client" : ClientId,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["nonce"] = grant.Nonce,
            ["email"] = a.Email,
            ["email_verified"] = a.EmailVerified,
            ["name"] = a.Name,
        };
        static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        var header = Part(new { alg = "RS256", typ = "JWT", kid = KeyId });
        var payload = Part(Claims(grant.Account));
        var signature = Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        if (grant.Defect == IdTokenDefect.TamperedAfterSigning)
        {
            payload = Part(Claims(grant.Account with { Subject = "victim", Email = "victim@school.ac.kr" }));
        }
        return $"{header}.{payload}.{signature}";
    }

    FakeOidcAccount? Bearer(HttpContext http) =>
        AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var h) && h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) &&
        h.Parameter is { } token && tokens.TryGetValue(token, out var account) ? account : null;
}
