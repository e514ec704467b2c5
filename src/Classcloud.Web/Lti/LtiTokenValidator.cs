using System.Buffers.Text;
using System.Text.Json;
using Classcloud.Web.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Lti;

/// <summary>
/// Checks a platform's id_token as LTI 1.3 (Security Framework §5.1.3) requires: RS256 signature by a key of the
/// platform's key set, iss, aud (and azp when there are several audiences), exp and iat, the nonce this install
/// issued at login, the LTI version, the message type and a registered deployment. Pure apart from the key set,
/// so each check has a unit test (LtiTokenValidatorTests).
/// </summary>
public sealed class LtiTokenValidator(LtiKeySets keySets)
{
    static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);
    static readonly string[] MessageTypes = [LtiLaunch.ResourceLink, LtiLaunch.DeepLinkingRequest];

    public async Task<Outcome<LtiLaunch>> ValidateAsync(LtiPlatform platform, string idToken, string expectedNonce, DateTimeOffset now, CancellationToken ct)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return Problem.BadRequest("The launch token is not a signed JSON Web Token.");
        }
        var keys = await keySets.KeysForAsync(platform.KeySetUrl, string.IsNullOrEmpty(token.Kid) ? null : token.Kid, ct);
        if (keys.Count == 0)
        {
            return Problem.Forbidden("The launch token is signed with a key that {0} does not publish, or its key set could not be read.", platform.Name);
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(platform, keys, now));
        if (!result.IsValid)
        {
            return Refusal(result.Exception, platform);
        }
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.EncodedPayload)).RootElement.Clone();
        return Check(platform, payload, expectedNonce, now) ?? (Outcome<LtiLaunch>)LtiLaunch.Read(platform, payload);
    }

    static TokenValidationParameters Parameters(LtiPlatform platform, IReadOnlyList<SecurityKey> keys, DateTimeOffset now) => new()
    {
        ValidIssuer = platform.Issuer,
        ValidAudience = platform.ClientId,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = Skew,
        // The lifetime is checked against the injected clock (tests move it), not the library's own.
        ValidateLifetime = false,
        TryAllIssuerSigningKeys = true,
    };

    static Problem Refusal(Exception? error, LtiPlatform platform) => error switch
    {
        SecurityTokenInvalidIssuerException => Problem.Forbidden("The launch token was issued by another platform than {0}.", platform.Name),
        SecurityTokenInvalidAudienceException => Problem.Forbidden("The launch token is meant for another tool, not for Classcloud's client id at {0}.", platform.Name),
        SecurityTokenInvalidAlgorithmException => Problem.Forbidden("The launch token is not signed with RS256."),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            Problem.Forbidden("The launch token's signature does not match the keys of {0}. It was changed or forged.", platform.Name),
        _ => Problem.BadRequest("The launch token is not a valid signed JSON Web Token."),
    };

    /// <summary>The checks the token handler does not make; null when every one passes.</summary>
    internal static Problem? Check(LtiPlatform platform, JsonElement payload, string expectedNonce, DateTimeOffset now)
    {
        var exp = Seconds(payload, "exp");
        var iat = Seconds(payload, "iat");
        if (exp is null || iat is null || now - Skew >= exp || iat > now + Skew)
        {
            return Problem.Forbidden("The launch token has expired or is not valid yet. Open the link in your course again.");
        }
        var audiences = payload.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array ? aud.GetArrayLength() : 1;
        var azp = Text(payload, "azp");
        if ((audiences > 1 || azp is not null) && azp != platform.ClientId)
        {
            return Problem.Forbidden("The launch token is meant for another tool, not for Classcloud's client id at {0}.", platform.Name);
        }
        if (Text(payload, "nonce") is not { } nonce || !string.Equals(nonce, expectedNonce, StringComparison.Ordinal))
        {
            return Problem.Forbidden("This launch was already used. Open the link in your course again.");
        }
        if (Text(payload, LtiClaims.Version) != "1.3.0")
        {
            return Problem.BadRequest("This is not an LTI 1.3 launch (version {0}).", Text(payload, LtiClaims.Version) ?? "-");
        }
        if (Text(payload, LtiClaims.MessageType) is not { } type || !MessageTypes.Contains(type))
        {
            return Problem.BadRequest("Classcloud does not handle the LTI message {0}.", Text(payload, LtiClaims.MessageType) ?? "-");
        }
        if (Text(payload, LtiClaims.DeploymentId) is not { } deployment || !platform.Deployments.Contains(deployment))
        {
            return Problem.Forbidden("Deployment {0} of {1} is not registered in Classcloud. Ask an administrator to add it.",
                Text(payload, LtiClaims.DeploymentId) ?? "-", platform.Name);
        }
        if (Text(payload, "sub") is null)
        {
            return Problem.BadRequest("The platform did not say who you are (the launch has no subject). Sign in to your course first.");
        }
        return null;
    }

    static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    static DateTimeOffset? Seconds(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
