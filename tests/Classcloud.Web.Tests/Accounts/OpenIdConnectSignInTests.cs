using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>
/// Sign-in with OpenID Connect providers configured only by their issuer: two of them (two realms of
/// a local provider on a real port), found through their discovery documents, with the id_token's
/// signature, audience and nonce checked. The test client plays the browser.
/// </summary>
public abstract class OpenIdConnectSignInTests
{
    readonly ClasscloudHost host;
    readonly FakeOidcProvider oidc;

    protected OpenIdConnectSignInTests(ClasscloudHost host, FakeOidcProvider oidc)
    {
        this.host = host;
        this.oidc = oidc;
        foreach (var (provider, realm, display) in new[] { ("SchoolSso", "school", "학교 통합 로그인"), ("DistrictSso", "district", "교육청 계정") })
        {
            var key = $"Classcloud:Auth:OAuth:{provider}:";
            host.Configure(key + "Authority", oidc.Issuer(realm));
            host.Configure(key + "ClientId", FakeOidcProvider.ClientId);
            host.Configure(key + "ClientSecret", FakeOidcProvider.ClientSecret);
            host.Configure(key + "DisplayName", display);
        }
        host.Configure("Classcloud:Auth:OAuth:DistrictSso:Scope", "openid email");
    }

    static FakeOidcAccount Account(string email, bool verified = true, string name = "오픈아이디 사용자") =>
        new("oidc-" + Guid.NewGuid().ToString("N"), email, verified, name);

    /// <summary>Start → the discovered authorize endpoint → back to the OpenID Connect handler; returns the handler's redirect.</summary>
    async Task<HttpResponseMessage> ReturnFromProviderAsync(HttpClient client, string provider, string realm, FakeOidcAccount account, string returnUrl = "/courses")
    {
        oidc.NextAccount = account;
        var start = await client.GetAsync($"/signin/external/{provider}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.Equal(oidc.Issuer(realm) + "/authorize", authorize.GetLeftPart(UriPartial.Path));

        var consent = await oidc.Browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal($"https://localhost/signin/external/{provider}/return", back.GetLeftPart(UriPartial.Path));
        var handled = await client.GetAsync(back);
        Assert.Equal(HttpStatusCode.Redirect, handled.StatusCode);
        return handled;
    }

    async Task<HttpResponseMessage> SignInWithAsync(HttpClient client, string provider, string realm, FakeOidcAccount account, string returnUrl = "/courses")
    {
        var handled = await ReturnFromProviderAsync(client, provider, realm, account, returnUrl);
        Assert.Equal($"/signin/external/callback?returnUrl={Uri.EscapeDataString(returnUrl)}", handled.Headers.Location!.OriginalString);
        return await client.GetAsync(handled.Headers.Location);
    }

    Task<List<string>> LoginProvidersAsync(long userId) =>
        host.WithDbAsync(db => db.UserLogins.Where(l => l.UserId == userId).Select(l => l.LoginProvider).OrderBy(p => p).ToListAsync());

    Task<int> AuditCountAsync(string action, string? target) => host.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == action && a.Target == target));

    [Fact]
    public async Task Both_providers_are_offered_by_their_display_names()
    {
        var page = await (await host.NewClient().GetAsync("/signin")).Content.ReadAsStringAsync();
        Assert.Contains("href=\"/signin/external/schoolsso?returnUrl=", page, StringComparison.Ordinal);
        Assert.Contains("학교 통합 로그인", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin/external/districtsso?returnUrl=", page, StringComparison.Ordinal);
        Assert.Contains("교육청 계정", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_user_is_created_from_the_id_token_and_the_next_sign_in_reuses_the_account()
    {
        var email = TestAccounts.NewEmail("oidc");
        var account = Account(email, name: "이오픈");
        var client = host.NewClient();

        var done = await SignInWithAsync(client, "schoolsso", "school", account);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/courses", done.Headers.Location!.OriginalString);
        var me = (await client.GetFromJsonAsync<MeDto>("/api/v1/me"))!;
        Assert.Equal(email, me.Email);
        Assert.Equal("이오픈", me.Name);
        Assert.Equal("student", me.Role);
        Assert.Equal("active", me.Status);
        Assert.Equal(["SchoolSso"], await LoginProvidersAsync(me.Id));
        Assert.Equal(account.Subject, await host.WithDbAsync(db => db.UserLogins.Where(l => l.UserId == me.Id).Select(l => l.ProviderKey).SingleAsync()));
        Assert.Equal(1, await AuditCountAsync(AuditActions.SignUp, email));

        var again = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(again, "schoolsso", "school", account, "/")).StatusCode);
        Assert.Equal(me.Id, (await again.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Id);
        Assert.Equal(1, await host.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal(2, await AuditCountAsync(AuditActions.SignInSuccess, email));
    }

    [Fact]
    public async Task A_verified_address_from_the_second_provider_links_the_existing_account()
    {
        var student = await host.UserAsync(TestRole.Student);
        var school = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(school, "schoolsso", "school", Account(student.Email))).StatusCode);
        var district = host.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithAsync(district, "districtsso", "district", Account(student.Email))).StatusCode);

        Assert.Equal(student.Id, (await school.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Id);
        Assert.Equal(student.Id, (await district.GetFromJsonAsync<MeDto>("/api/v1/me"))!.Id);
        Assert.Equal(["DistrictSso", "SchoolSso"], await LoginProvidersAsync(student.Id));
        Assert.Equal(2, await AuditCountAsync(AuditActions.ExternalLink, student.Email));
    }

    [Fact]
    public async Task An_unverified_address_does_not_link_an_existing_account()
    {
        var student = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();

        var refused = await SignInWithAsync(client, "schoolsso", "school", Account(student.Email, verified: false));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Empty(await LoginProvidersAsync(student.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData(IdTokenDefect.TamperedAfterSigning)]
    [InlineData(IdTokenDefect.OtherAudience)]
    public async Task A_bad_id_token_is_refused_with_a_page_that_says_so(IdTokenDefect defect)
    {
        var email = TestAccounts.NewEmail("badtoken");
        var failures = await AuditCountAsync(AuditActions.SignInFailure, "SchoolSso");
        var client = host.NewClient();
        oidc.NextDefect = defect;

        var handled = await ReturnFromProviderAsync(client, "schoolsso", "school", Account(email));
        Assert.Equal("/signin/external/callback?error=1", handled.Headers.Location!.OriginalString);
        var page = await client.GetAsync(handled.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("did not complete", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.False(await host.UserExistsAsync(email));
        Assert.False(await host.UserExistsAsync("victim@school.ac.kr"));
        Assert.Equal(failures + 1, await AuditCountAsync(AuditActions.SignInFailure, "SchoolSso"));
    }
}

public sealed class SqliteOpenIdConnectSignInTests(SqliteHost host, FakeOidcProvider oidc)
    : OpenIdConnectSignInTests(host, oidc), IClassFixture<SqliteHost>, IClassFixture<FakeOidcProvider>;

public sealed class PostgresOpenIdConnectSignInTests(PostgresHost host, FakeOidcProvider oidc)
    : OpenIdConnectSignInTests(host, oidc), IClassFixture<PostgresHost>, IClassFixture<FakeOidcProvider>;
