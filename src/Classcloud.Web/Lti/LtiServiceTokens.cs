using System.Text.Json;
using Classcloud.Web.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Lti;

/// <summary>
/// An access token for the platform's services (LTI Security Framework §4.1): the OAuth 2 client-credentials grant,
/// the tool authenticating with a JWT it signs with its own key (RFC 7523), for the scopes one call needs.
/// </summary>
public sealed class LtiServiceTokens(IHttpClientFactory clients, LtiToolKeys keys, TimeProvider time, ILogger<LtiServiceTokens> log)
{
    public const string MembershipScope = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
    public const string LineItemScope = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public const string ScoreScope = "https://purl.imsglobal.org/spec/lti-ags/scope/score";

    public async Task<Outcome<string>> TokenAsync(LtiPlatform platform, string scopes, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var assertion = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = platform.ClientId,
            Audience = platform.AccessTokenUrl,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = platform.ClientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = await keys.SigningCredentialsAsync(ct),
        });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
            ["scope"] = scopes,
        });
        try
        {
            using var client = clients.CreateClient(LtiKeySets.Client);
            using var response = await client.PostAsync(platform.AccessTokenUrl, form, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("LTI token request to {Url} answered {Status}: {Body}", platform.AccessTokenUrl, (int)response.StatusCode, body[..Math.Min(body.Length, 300)]);
                return Problem(platform);
            }
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value ? value : Problem(platform);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("LTI token request to {Url} failed: {Reason}", platform.AccessTokenUrl, ex.Message);
            return Problem(platform);
        }
    }

    static Hosting.Problem Problem(LtiPlatform platform) =>
        Hosting.Problem.Conflict("{0} did not give Classcloud an access token for its services. Check the access-token URL and that the tool may use the roster and grade services.", platform.Name);
}
