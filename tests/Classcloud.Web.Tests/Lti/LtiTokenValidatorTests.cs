using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Classcloud.Web.Lti;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Tests.Lti;

/// <summary>Each check of an id_token on its own, with a key set served from memory (no network).</summary>
public sealed class LtiTokenValidatorTests : IDisposable
{
    const string Issuer = "https://lms.example.org";
    const string ClientId = "tool-1";
    const string Nonce = "nonce-1";
    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    readonly RSA key = RSA.Create(2048);
    readonly RSA other = RSA.Create(2048);
    readonly LtiPlatform platform = new()
    {
        Id = 1, Name = "LMS", Issuer = Issuer, ClientId = ClientId, KeySetUrl = "https://lms.example.org/jwks", DeploymentIds = "d1\nd2",
    };

    public void Dispose()
    {
        key.Dispose();
        other.Dispose();
    }

    static Dictionary<string, object> Claims() => new()
    {
        ["iss"] = Issuer,
        ["aud"] = ClientId,
        ["sub"] = "user-1",
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
        ["nonce"] = Nonce,
        [LtiClaims.Version] = "1.3.0",
        [LtiClaims.MessageType] = LtiLaunch.ResourceLink,
        [LtiClaims.DeploymentId] = "d2",
        [LtiClaims.Roles] = new[] { "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner" },
    };

    string Sign(Dictionary<string, object> claims, RSA? with = null) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
        JsonSerializer.Serialize(claims), new SigningCredentials(new RsaSecurityKey(with ?? key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256));

    async Task<string?> RefusalAsync(Dictionary<string, object> claims, RSA? with = null)
    {
        var outcome = await new LtiTokenValidator(KeySets()).ValidateAsync(platform, Sign(claims, with), Nonce, Now, CancellationToken.None);
        return outcome.Succeeded ? null : outcome.Problem!.Text;
    }

    LtiKeySets KeySets()
    {
        var p = key.ExportParameters(false);
        var json = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "k1", use = "sig", n = Base64Url.EncodeToString(p.Modulus), e = Base64Url.EncodeToString(p.Exponent) } } });
        return new LtiKeySets(new StaticClients(json), TimeProvider.System, NullLogger<LtiKeySets>.Instance);
    }

    [Fact]
    public async Task A_well_formed_launch_passes_and_its_claims_are_read()
    {
        var claims = Claims();
        claims[LtiClaims.Context] = new Dictionary<string, object> { ["id"] = "c1", ["title"] = "Algorithms" };
        claims[LtiClaims.Custom] = new Dictionary<string, object> { ["classcloud_course"] = "7" };
        var outcome = await new LtiTokenValidator(KeySets()).ValidateAsync(platform, Sign(claims), Nonce, Now, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Problem?.Text);
        var launch = outcome.Value!;
        Assert.Equal(("user-1", "c1", "Algorithms", "d2"), (launch.Subject, launch.ContextId, launch.ContextTitle, launch.DeploymentId));
        Assert.True(launch.IsLearner);
        Assert.False(launch.IsInstructor);
        Assert.Equal("7", launch.Custom["classcloud_course"]);
    }

    [Fact]
    public async Task Another_key_under_the_same_key_id_is_a_bad_signature() =>
        Assert.StartsWith("The launch token's signature", await RefusalAsync(Claims(), other));

    [Fact]
    public async Task Tampered_claims_break_the_signature()
    {
        var token = Sign(Claims()).Split('.');
        var changed = Claims();
        changed["sub"] = "someone-else";
        token[1] = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(changed));
        var outcome = await new LtiTokenValidator(KeySets()).ValidateAsync(platform, string.Join('.', token), Nonce, Now, CancellationToken.None);
        Assert.StartsWith("The launch token's signature", outcome.Problem!.Text);
    }

    [Theory]
    [InlineData("iss", "https://evil.example.org", "The launch token was issued by another platform")]
    [InlineData("aud", "another-tool", "The launch token is meant for another tool")]
    [InlineData("azp", "another-tool", "The launch token is meant for another tool")]
    [InlineData("nonce", "nonce-2", "This launch was already used.")]
    [InlineData(LtiClaims.Version, "1.1", "This is not an LTI 1.3 launch")]
    [InlineData(LtiClaims.MessageType, "LtiSubmissionReviewRequest", "Classcloud does not handle the LTI message")]
    [InlineData(LtiClaims.DeploymentId, "d3", "Deployment {0} of {1} is not registered")]
    public async Task A_wrong_claim_is_refused_with_its_own_reason(string claim, string value, string reason)
    {
        var claims = Claims();
        claims[claim] = value;
        Assert.StartsWith(reason, await RefusalAsync(claims));
    }

    [Fact]
    public async Task Several_audiences_need_an_authorized_party()
    {
        var claims = Claims();
        claims["aud"] = new[] { ClientId, "another-tool" };
        Assert.StartsWith("The launch token is meant for another tool", await RefusalAsync(claims));
        claims["azp"] = ClientId;
        Assert.Null(await RefusalAsync(claims));
    }

    [Fact]
    public async Task An_expired_or_future_token_is_refused()
    {
        var expired = Claims();
        expired["exp"] = Now.AddMinutes(-2).ToUnixTimeSeconds();
        Assert.StartsWith("The launch token has expired", await RefusalAsync(expired));
        var future = Claims();
        future["iat"] = Now.AddMinutes(5).ToUnixTimeSeconds();
        Assert.StartsWith("The launch token has expired", await RefusalAsync(future));
        var missing = Claims();
        missing.Remove("iat");
        Assert.StartsWith("The launch token has expired", await RefusalAsync(missing));
    }

    [Fact]
    public async Task Garbage_is_not_a_token() =>
        Assert.Equal("The launch token is not a signed JSON Web Token.",
            (await new LtiTokenValidator(KeySets()).ValidateAsync(platform, "not-a-jwt", Nonce, Now, CancellationToken.None)).Problem!.Text);

    /// <summary>Answers every request with the key set.</summary>
    sealed class StaticClients(string json) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Answer(json));

        sealed class Answer(string json) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) });
        }
    }
}
