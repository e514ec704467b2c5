using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Tests.Lti;

/// <summary>What is wrong with a launch token the platform makes.</summary>
public enum LaunchDefect
{
    None,
    /// <summary>Signed by another key under the platform's key id: the signature does not verify.</summary>
    ForeignSignature,
}

/// <summary>Who launches, from which LMS course, and with what (the claims of LTI Core 1.3 §5.3–5.4).</summary>
public sealed record LaunchClaims(string ClientId, string Subject, string Email, string Name, string[] Roles)
{
    public string DeploymentId { get; init; } = LocalLtiPlatform.Deployment;
    public string MessageType { get; init; } = "LtiResourceLinkRequest";
    public string? ContextId { get; init; } = "lms-course-" + Guid.NewGuid().ToString("N")[..8];
    public Dictionary<string, string> Custom { get; init; } = [];
    public LaunchDefect Defect { get; init; }

    public const string Learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    public const string Instructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
}

/// <summary>A launch the platform's authorization endpoint answered: the auto-posted form's target, id_token and state.</summary>
public sealed record PlatformAnswer(string Action, string IdToken, string State);

/// <summary>
/// An LTI 1.3 platform on a real loopback port, as an LMS plays it (IMS Security Framework §5.1): its RSA key set
/// at /jwks, and /auth, the OIDC authorization endpoint that checks the tool's authentication request and answers
/// with a self-posting form carrying an RS256 id_token for the next launch (<see cref="Next"/>).
/// </summary>
public sealed partial class LocalLtiPlatform : IAsyncLifetime
{
    public const string Deployment = "deployment-1";
    const string KeyId = "platform-key-1";

    readonly RSA key = RSA.Create(2048);
    readonly RSA foreignKey = RSA.Create(2048);
    readonly ConcurrentQueue<string> refusals = new();
    WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    public string Issuer => BaseAddress.AbsoluteUri.TrimEnd('/');

    public const string DeepLinkData = "platform-opaque-data";

    public string DeepLinkReturnUrl => Issuer + "/deep-link-return";

    /// <summary>The tool's public keys (its /lti/jwks), which the token endpoint checks client assertions with.</summary>
    public JsonWebKeySet? ToolKeys { get; set; }

    /// <summary>Each LMS course's members, as Names and Role Provisioning serves them.</summary>
    public ConcurrentDictionary<string, List<object>> Rosters { get; } = new();

    /// <summary>A body served instead of an LMS course's roster (a platform that answers what cannot be read).</summary>
    public ConcurrentDictionary<string, string> RawRosters { get; } = new();

    /// <summary>Membership pages served (each "offset/limit"), to see the tool follow the next links.</summary>
    public ConcurrentQueue<string> PagesServed { get; } = new();

    readonly ConcurrentDictionary<string, string> accessTokens = new();

    /// <summary>Line items per LMS course (Assignment and Grade Services), as the platform keeps them.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> LineItemsOf { get; } = new();

    /// <summary>Scores received, per line item URL.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Scores { get; } = new();

    /// <summary>The claims of the next id_token /auth issues.</summary>
    public LaunchClaims? Next { get; set; }

    /// <summary>Why /auth refused requests (a malformed authentication request from the tool).</summary>
    public IReadOnlyCollection<string> Refusals => refusals;

    public HttpClient Browser { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { Jwk() } }));
        app.MapGet("/auth", Authorize);
        app.MapPost("/token", (Delegate)TokenAsync);
        app.MapGet("/memberships/{context}", Memberships);
        app.MapGet("/lineitems/{context}", LineItems);
        app.MapPost("/lineitems/{context}", (Delegate)AddLineItemAsync);
        app.MapPost("/lineitems/{context}/{item:int}/scores", (Delegate)AddScoreAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        Browser.Dispose();
        key.Dispose();
        foreignKey.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The registration an administrator enters for this platform and the given client id.</summary>
    public object Registration(string clientId, params string[] deployments) => new
    {
        name = "Local LMS",
        issuer = Issuer,
        clientId,
        keySetUrl = Issuer + "/jwks",
        authUrl = Issuer + "/auth",
        accessTokenUrl = Issuer + "/token",
        deploymentIds = deployments.Length == 0 ? [Deployment] : deployments,
    };

    object Jwk()
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url.EncodeToString(p.Modulus), e = Base64Url.EncodeToString(p.Exponent) };
    }

    IResult Authorize(HttpContext http)
    {
        var q = http.Request.Query;
        var wrong = new List<string>();
        foreach (var (name, value) in new[] { ("scope", "openid"), ("response_type", "id_token"), ("response_mode", "form_post"), ("prompt", "none") })
        {
            if (q[name] != value)
            {
                wrong.Add($"{name}={q[name]}");
            }
        }
        var next = Next;
        if (next is null || q["client_id"] != next.ClientId || q["login_hint"] != next.Subject
            || string.IsNullOrEmpty(q["state"]) || string.IsNullOrEmpty(q["nonce"]) || !q["redirect_uri"].ToString().EndsWith("/lti/launch", StringComparison.Ordinal))
        {
            wrong.Add($"client_id={q["client_id"]} login_hint={q["login_hint"]} redirect_uri={q["redirect_uri"]}");
        }
        if (wrong.Count > 0)
        {
            refusals.Enqueue(string.Join("; ", wrong));
            return Results.BadRequest(string.Join("; ", wrong));
        }
        var token = IdToken(next!, q["nonce"]!);
        var html = $"""
            <html><body onload="document.forms[0].submit()"><form method="post" action="{WebUtility.HtmlEncode(q["redirect_uri"])}">
            <input type="hidden" name="id_token" value="{token}"><input type="hidden" name="state" value="{WebUtility.HtmlEncode(q["state"])}">
            </form></body></html>
            """;
        return Results.Content(html, "text/html");
    }

    /// <summary>An id_token for these claims and nonce, signed as the claims' defect says.</summary>
    public string IdToken(LaunchClaims c, string nonce)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["nonce"] = nonce,
            ["sub"] = c.Subject,
            ["name"] = c.Name,
            ["email"] = c.Email,
            ["https://purl.imsglobal.org/spec/lti/claim/message_type"] = c.MessageType,
            ["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.3.0",
            ["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = c.DeploymentId,
            ["https://purl.imsglobal.org/spec/lti/claim/target_link_uri"] = "https://localhost/lti/launch",
            ["https://purl.imsglobal.org/spec/lti/claim/resource_link"] = new Dictionary<string, object> { ["id"] = "link-1", ["title"] = "Classcloud" },
            ["https://purl.imsglobal.org/spec/lti/claim/roles"] = c.Roles,
            ["https://purl.imsglobal.org/spec/lti/claim/custom"] = c.Custom.ToDictionary(p => p.Key, p => (object)p.Value),
        };
        if (c.MessageType == "LtiDeepLinkingRequest")
        {
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = new Dictionary<string, object>
            {
                ["deep_link_return_url"] = DeepLinkReturnUrl,
                ["accept_types"] = new[] { "ltiResourceLink" },
                ["accept_presentation_document_targets"] = new[] { "window", "iframe" },
                ["data"] = DeepLinkData,
            };
        }
        if (c.ContextId is { } context)
        {
            claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"] = new Dictionary<string, object>
            {
                ["context_memberships_url"] = $"{Issuer}/memberships/{context}",
                ["service_versions"] = new[] { "2.0" },
            };
            claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = new Dictionary<string, object>
            {
                ["scope"] = new[] { "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/score" },
                ["lineitems"] = $"{Issuer}/lineitems/{context}",
            };
            claims["https://purl.imsglobal.org/spec/lti/claim/context"] = new Dictionary<string, object> { ["id"] = context, ["title"] = "Programming 101" };
        }
        var signing = c.Defect == LaunchDefect.ForeignSignature ? foreignKey : key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = c.ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signing) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Follows the tool's redirect to /auth, as the browser would, and reads the form the platform answers with.</summary>
    public async Task<PlatformAnswer> AuthorizeAsync(Uri location)
    {
        using var response = await Browser.GetAsync(location);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the platform refused the authentication request: {html}");
        string Field(string pattern) => WebUtility.HtmlDecode(Regex.Match(html, pattern).Groups[1].Value);
        return new PlatformAnswer(Field("action=\"([^\"]+)\""), Field("name=\"id_token\" value=\"([^\"]+)\""), Field("name=\"state\" value=\"([^\"]+)\""));
    }
}
