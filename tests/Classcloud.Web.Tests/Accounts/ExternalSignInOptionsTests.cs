using System.Text.Json;
using Classcloud.Web.Accounts.External;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Provider configuration: what is offered, and a bad value named by its key.</summary>
public sealed class ExternalSignInOptionsTests
{
    static (ExternalSignInOptions Options, ValidateOptionsResult Result) Load(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(ExternalSignInOptions.Section + ":" + v.Key, (string?)v.Value)))
            .Build();
        var options = new ExternalSignInOptions();
        ExternalSignInOptions.Bind(options, configuration);
        return (options, new ExternalSignInOptionsValidator().Validate(null, options));
    }

    [Fact]
    public void An_empty_preset_is_hidden_and_valid()
    {
        var (options, result) = Load(("Naver:DisplayName", "네이버"), ("GitHub:ClientId", ""));
        Assert.True(result.Succeeded);
        Assert.Empty(new ExternalProviders(Options.Create(options)).All);
    }

    [Fact]
    public void A_preset_with_an_id_but_no_secret_names_the_key()
    {
        var (_, result) = Load(("GitHub:ClientId", "abc"));
        Assert.Equal(["Classcloud:Auth:OAuth:GitHub:ClientSecret is required when Classcloud:Auth:OAuth:GitHub is configured."], result.Failures);
    }

    [Fact]
    public void A_provider_of_its_own_needs_every_endpoint()
    {
        var (_, result) = Load(("Keycloak:ClientId", "abc"), ("Keycloak:ClientSecret", "def"),
            ("Keycloak:AuthorizationEndpoint", "https://sso.example.ac.kr/auth"), ("Keycloak:UserInformationEndpoint", "not a url"));
        Assert.Equal([
            "Classcloud:Auth:OAuth:Keycloak:TokenEndpoint is required for a provider that is not a preset (Google, Naver, GitHub) and has no Authority.",
            "Classcloud:Auth:OAuth:Keycloak:UserInformationEndpoint must be an absolute http(s) URL (got 'not a url').",
        ], result.Failures);
    }

    [Fact]
    public void An_openid_connect_provider_needs_only_its_issuer()
    {
        var (options, result) = Load(("Keycloak:Authority", "https://sso.example.ac.kr/realms/school"), ("Keycloak:ClientId", "abc"), ("Keycloak:ClientSecret", "def"));
        Assert.True(result.Succeeded, string.Join(" ", result.Failures ?? []));
        var provider = Assert.Single(new ExternalProviders(Options.Create(options)).All);
        Assert.True(provider.IsOpenIdConnect);
        Assert.True(provider.UsePkce);
        Assert.Equal("https://sso.example.ac.kr/realms/school", provider.Authority);
    }

    [Fact]
    public void An_issuer_over_plain_http_elsewhere_or_on_a_preset_is_refused()
    {
        var (_, result) = Load(("Keycloak:Authority", "http://sso.example.ac.kr/realms/school"), ("Keycloak:ClientId", "abc"), ("Keycloak:ClientSecret", "def"),
            ("Google:Authority", "https://accounts.google.com"), ("Google:ClientId", "abc"), ("Google:ClientSecret", "def"));
        Assert.Equal([
            "Classcloud:Auth:OAuth:Google:Authority is for a provider of its own; configure the OpenID Connect provider under another name (e.g. GoogleOidc).",
            "Classcloud:Auth:OAuth:Keycloak:Authority must be an absolute https URL (http only on this machine) (got 'http://sso.example.ac.kr/realms/school').",
        ], result.Failures);
    }

    [Fact]
    public void A_reserved_provider_name_is_refused()
    {
        var (_, result) = Load(("callback:ClientId", "abc"), ("callback:ClientSecret", "def"));
        Assert.StartsWith("Classcloud:Auth:OAuth:callback: the provider name", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Presets_keep_their_endpoints_unless_overridden_and_come_first()
    {
        var (options, result) = Load(
            ("sso:ClientId", "a"), ("sso:ClientSecret", "b"), ("sso:AuthorizationEndpoint", "https://sso.example/a"),
            ("sso:TokenEndpoint", "https://sso.example/t"), ("sso:UserInformationEndpoint", "https://sso.example/u"),
            ("naver:ClientId", "n"), ("naver:ClientSecret", "s"), ("naver:TokenEndpoint", "http://127.0.0.1:9/token"));
        Assert.True(result.Succeeded);
        var providers = new ExternalProviders(Options.Create(options)).All;
        Assert.Equal(["Naver", "sso"], providers.Select(p => p.Name));
        Assert.Equal("https://nid.naver.com/oauth2.0/authorize", providers[0].AuthorizationEndpoint);
        Assert.Equal("http://127.0.0.1:9/token", providers[0].TokenEndpoint);
        Assert.Equal("/signin/external/naver/return", providers[0].CallbackPath);
        Assert.Equal(["openid", "email", "profile"], providers[1].Scopes);
    }

    [Fact]
    public async Task Naver_and_configured_providers_map_their_user_information()
    {
        using var http = new HttpClient();
        var (options, _) = Load(("sso:ClientId", "a"), ("sso:ClientSecret", "b"), ("sso:AuthorizationEndpoint", "https://s/a"),
            ("sso:TokenEndpoint", "https://s/t"), ("sso:UserInformationEndpoint", "https://s/u"), ("sso:IdField", "user.uid"), ("sso:EmailVerifiedField", "ok"));
        var sso = new ExternalProviders(Options.Create(options)).All.Single();
        var api = new ProviderApi(http, "token");

        var naver = await ExternalPresets.Naver.Read(Parse("""{"resultcode":"00","response":{"id":"n-1","email":"kim@naver.com","name":"김네이버"}}"""), sso, api, CancellationToken.None);
        Assert.Equal(new ExternalProfile("n-1", "kim@naver.com", true, "김네이버"), naver);
        var custom = await sso.Read(Parse("""{"user":{"uid":42},"email":"lee@example.ac.kr","ok":"true","name":"Lee"}"""), sso, api, CancellationToken.None);
        Assert.Equal(new ExternalProfile("42", "lee@example.ac.kr", true, "Lee"), custom);
        Assert.Null(await sso.Read(Parse("""{"email":"no-id@example.ac.kr"}"""), sso, api, CancellationToken.None));
        var google = await ExternalPresets.Google.Read(Parse("""{"sub":"g","email":"x@gmail.com","email_verified":false}"""), sso, api, CancellationToken.None);
        Assert.False(google!.EmailVerified);
    }

    static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
