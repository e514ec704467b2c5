using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>
/// Social sign-in through the GitHub and Google presets, pointed at a fake OAuth server on a real
/// port; the test client plays the browser and follows every redirect by hand.
/// </summary>
public abstract class ExternalSignInTests
{
    readonly ClasscloudHost host;
    readonly FakeOAuthServer oauth;

    protected ExternalSignInTests(ClasscloudHost host, FakeOAuthServer oauth)
    {
        this.host = host;
        this.oauth = oauth;
        foreach (var provider in new[] { "GitHub", "Google" })
        {
            var key = $"Classcloud:Auth:OAuth:{provider}:";
            host.Configure(key + "ClientId", FakeOAuthServer.ClientId);
            host.Configure(key + "ClientSecret", FakeOAuthServer.ClientSecret);
            host.Configure(key + "AuthorizationEndpoint", new Uri(oauth.BaseAddress, "authorize").ToString());
            host.Configure(key + "TokenEndpoint", new Uri(oauth.BaseAddress, "token").ToString());
            host.Configure(key + "UserInformationEndpoint", new Uri(oauth.BaseAddress, "user").ToString());
        }
    }

    static FakeAccount GitHubAccount(string email, string id, string? name = null) => new(
        new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), login = "octo" + id, name, email = (string?)null },
        new[] { new { email = "other-" + email, primary = false, verified = true }, new { email, primary = true, verified = true } });

    static FakeAccount GoogleAccount(string email, bool verified, string name = "Google User") =>
        new(new { sub = "g-" + Guid.NewGuid().ToString("N"), email, email_verified = verified, name });

    static string NewId() => Random.Shared.NextInt64(1_000_000, 9_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Start → provider → back to the OAuth handler → callback page; returns the callback page's answer.</summary>
    async Task<HttpResponseMessage> SignInWithAsync(HttpClient client, string provider, FakeAccount account, string returnUrl = "/courses", string? expectedReturnUrl = null)
    {
        oauth.NextAccount = account;
        var start = await client.GetAsync($"/signin/external/{provider}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.Equal(new Uri(oauth.BaseAddress, "authorize").AbsoluteUri, authorize.GetLeftPart(UriPartial.Path));

        var consent = await oauth.Browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal($"https://localhost/signin/external/{provider}/return", back.GetLeftPart(UriPartial.Path));

        var handled = await client.GetAsync(back);
        Assert.Equal(HttpStatusCode.Redirect, handled.StatusCode);
        Assert.Equal($"/signin/external/callback?returnUrl={Uri.EscapeDataString(expectedReturnUrl ?? returnUrl)}", handled.Headers.Location!.OriginalString);
        return await client.GetAsync(handled.Headers.Location);
    }

    Task<int> LoginsAsync(long userId) => host.WithDbAsync(db => db.UserLogins.CountAsync(l => l.UserId == userId));

    Task<int> AuditCountAsync(string action, string? target) => host.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == action && a.Target == target));

    [Fact]
    public async Task New_user_is_created_as_a_verified_student_and_the_next_sign_in_reuses_it()
    {
        var email = TestAccounts.NewEmail("github");
        var account = GitHubAccount(email, NewId(), name: "김깃허브");
        var client = host.NewClient();

        var done = await SignInWithAsync(client, "github", account);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/courses", done.Headers.Location!.OriginalString);
        var me = await client.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(email, me!.Email);
        Assert.Equal("김깃허브", me.Name);
        Assert.Equal("김깃허브", me.Nickname);
        Assert.Equal("student", me.Role);
        Assert.Equal("active", me.Status);
        Assert.Equal(1, await LoginsAsync(me.Id));
        Assert.Equal("GitHub", await host.WithDbAsync(db => db.UserLogins.Where(l => l.UserId == me.Id).Select(l => l.LoginProvider).SingleAsync()));
        Assert.Equal(1, await AuditCountAsync(AuditActions.SignUp, email));
        Assert.Equal(1, await AuditCountAsync(AuditActions.SignInSuccess, email));

        var again = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(again, "github", account, "/")).StatusCode);
        var second = await again.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(me.Id, second!.Id);
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal(1, await LoginsAsync(me.Id));
        Assert.Equal(2, await AuditCountAsync(AuditActions.SignInSuccess, email));
    }

    [Fact]
    public async Task A_verified_email_links_the_existing_account()
    {
        var student = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();

        var done = await SignInWithAsync(client, "google", GoogleAccount(student.Email, verified: true));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(student.Id, (await client.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Id);
        Assert.Equal(1, await LoginsAsync(student.Id));
        Assert.Equal(1, await AuditCountAsync(AuditActions.ExternalLink, student.Email));
    }

    [Fact]
    public async Task An_unverified_email_matching_an_existing_account_does_not_link()
    {
        var student = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();

        var refused = await SignInWithAsync(client, "google", GoogleAccount(student.Email, verified: false));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has not confirmed that this address is yours", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(0, await LoginsAsync(student.Id));
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync(u => u.Email == student.Email)));
        Assert.Equal(0, await AuditCountAsync(AuditActions.ExternalLink, student.Email));
        Assert.Equal(1, await AuditCountAsync(AuditActions.SignInFailure, student.Email));
    }

    [Fact]
    public async Task An_unverified_email_makes_an_account_that_waits_for_the_mailed_link()
    {
        var email = TestAccounts.NewEmail("google");
        var account = GoogleAccount(email, verified: false);
        var client = host.NewClient();

        var waiting = await SignInWithAsync(client, "google", account);
        Assert.Equal(HttpStatusCode.Forbidden, waiting.StatusCode);
        Assert.Contains("Confirm your e-mail address first", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.False(await host.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        var token = await host.LatestTokenAsync(email, "/verify");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(client, "google", account)).StatusCode);
        Assert.Equal(email, (await client.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Email);
    }

    [Fact]
    public async Task A_disabled_account_is_refused()
    {
        var email = TestAccounts.NewEmail("disabled");
        var account = GitHubAccount(email, NewId());
        var first = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(first, "github", account)).StatusCode);
        var id = (await first.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Id;
        var admin = await host.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync($"/api/v1/admin/users/{id}/disable", null)).StatusCode);

        var client = host.NewClient();
        var refused = await SignInWithAsync(client, "github", account);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("This account is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_refused_email_domain_gets_a_clear_page_and_no_account()
    {
        var admin = await host.AdminAsync();
        var settings = (await admin.Client.GetFromJsonAsync<SettingsDto>("/api/v1/admin/settings"))!;
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", settings with { AllowedEmailDomains = ["*.ac.kr"] })).StatusCode);
        try
        {
            var email = $"outsider-{Guid.NewGuid():N}@gmail.com";
            var refused = await SignInWithAsync(host.NewClient(), "github", GitHubAccount(email, NewId()));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Sign-up is limited to addresses at *.ac.kr.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(await host.UserExistsAsync(email));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings", settings)).StatusCode);
        }
    }

    [Theory]
    [InlineData("/signin/external/naver")]
    [InlineData("/signin/external/nosuchprovider")]
    [InlineData("/signin/external/naver/return?code=abc&state=def")]
    public async Task A_provider_that_is_not_configured_is_not_found(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.NewClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_tampered_state_fails_cleanly()
    {
        var email = TestAccounts.NewEmail("tamper");
        oauth.NextAccount = GitHubAccount(email, NewId());
        var client = host.NewClient();
        var start = await client.GetAsync("/signin/external/github?returnUrl=%2F");
        var consent = await oauth.Browser.GetAsync(start.Headers.Location);
        var back = consent.Headers.Location!.ToString();
        var state = System.Text.RegularExpressions.Regex.Match(back, "state=([^&]+)").Groups[1].Value;
        var tampered = back.Replace(state, state[..^6] + (state[^6..] == "AAAAAA" ? "BBBBBB" : "AAAAAA"), StringComparison.Ordinal);

        var handled = await client.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Redirect, handled.StatusCode);
        var page = await client.GetAsync(handled.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("did not complete", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.False(await host.UserExistsAsync(email));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/signin/external/callback")).StatusCode);
    }

    [Fact]
    public async Task A_return_address_on_another_site_becomes_the_home_page()
    {
        var client = host.NewClient();
        var done = await SignInWithAsync(client, "github", GitHubAccount(TestAccounts.NewEmail("redirect"), NewId()), "https://evil.example/", expectedReturnUrl: "/");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
    }
}

public sealed class SqliteExternalSignInTests(SqliteHost host, FakeOAuthServer oauth)
    : ExternalSignInTests(host, oauth), IClassFixture<SqliteHost>, IClassFixture<FakeOAuthServer>;

public sealed class PostgresExternalSignInTests(PostgresHost host, FakeOAuthServer oauth)
    : ExternalSignInTests(host, oauth), IClassFixture<PostgresHost>, IClassFixture<FakeOAuthServer>;

/// <summary>The external sign-in routes share the "auth" rate limit with the other sign-in routes.</summary>
public sealed class ExternalSignInRateLimitTests : IClassFixture<SqliteHost>
{
    readonly SqliteHost host;

    public ExternalSignInRateLimitTests(SqliteHost host)
    {
        this.host = host;
        host.Configure("Classcloud:Limits:AuthRequestsPerMinute", "3");
        host.Configure("Classcloud:Auth:OAuth:GitHub:ClientId", "id");
        host.Configure("Classcloud:Auth:OAuth:GitHub:ClientSecret", "secret");
    }

    [Fact]
    public async Task Start_return_and_callback_routes_are_rate_limited()
    {
        var client = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/signin/external/github")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/signin/external/github/return?code=a&state=b")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/signin/external/callback")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/signin/external/callback")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/signin/external/github/return?code=a&state=b")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/signin/external/github")).StatusCode);
    }
}
