using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>
/// Issue 15, cross-site requests: a cookie-carrying unsafe request (JSON, multipart, no body) is refused
/// unless the browser says it comes from this site's own origin. A student's app on the apps domain is
/// the same site but another origin, so it is refused too. Tokens and non-browser clients are unaffected.
/// </summary>
public abstract class CrossSiteTests(ClasscloudHost host)
{
    const string Refusal = "This request came from another site. Send it from this site's own pages.";

    static HttpRequestMessage CreateToken(string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { name = "cli", expiresInDays = 1 }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("https://my-app.apps.localhost", "same-site")]  // a student's app: same site, other origin
    [InlineData("http://localhost", null)]                       // another scheme is another origin
    [InlineData("null", "cross-site")]                           // a sandboxed frame
    [InlineData(null, "same-site")]
    [InlineData(null, "cross-site")]
    public async Task A_cookie_request_from_another_origin_is_refused(string? origin, string? fetchSite)
    {
        var user = await host.UserAsync(TestRole.Student);
        var refused = await (await user.Client.SendAsync(CreateToken(origin, fetchSite))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Refusal, refused.Detail);
        Assert.Empty(await (await user.Client.GetAsync("/api/v1/tokens")).OkAsync<List<TokenDto>>());
    }

    [Theory]
    [InlineData("https://localhost", null)]
    [InlineData(null, "same-origin")]
    [InlineData(null, null)]  // curl and scripts send neither
    public async Task A_cookie_request_from_this_site_goes_through(string? origin, string? fetchSite)
    {
        var user = await host.UserAsync(TestRole.Student);
        await (await user.Client.SendAsync(CreateToken(origin, fetchSite))).StatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Body_less_and_delete_requests_are_checked_too()
    {
        var user = await host.UserAsync(TestRole.Student);
        var token = await (await user.Client.SendAsync(CreateToken())).OkAsync<CreatedTokenDto>(HttpStatusCode.Created);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{token.Id}") { Headers = { { "Origin", "https://evil.example" } } };
        await (await user.Client.SendAsync(delete)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Single(await (await user.Client.GetAsync("/api/v1/tokens")).OkAsync<List<TokenDto>>());

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout") { Headers = { { "Origin", "https://evil.example" } } };
        await (await user.Client.SendAsync(logout)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(user.Email, (await user.Client.MeAsync()).Email);
    }

    [Fact]
    public async Task A_multipart_upload_from_another_origin_is_refused_before_it_is_read()
    {
        var educator = await host.UserAsync(TestRole.Educator);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("email\nsomeone@school.ac.kr\n"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "roster.csv");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/courses/1/roster") { Content = form, Headers = { { "Origin", "https://evil.example" } } };
        var refused = await (await educator.Client.SendAsync(upload)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Refusal, refused.Detail);
    }

    [Fact]
    public async Task A_form_post_from_another_origin_gets_the_error_page()
    {
        var user = await host.UserAsync(TestRole.Student);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signout")
        {
            Content = new FormUrlEncodedContent([]),
            Headers = { { "Origin", "https://evil.example" } },
        };
        var response = await user.Client.SendAsync(post);
        await response.StatusAsync(HttpStatusCode.Forbidden);
        Assert.Contains("data-testid=\"error-page\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(user.Email, (await user.Client.MeAsync()).Email);
    }

    [Fact]
    public async Task A_personal_access_token_is_no_ambient_credential_and_passes()
    {
        var user = await host.UserAsync(TestRole.Student);
        var token = await (await user.Client.SendAsync(CreateToken())).OkAsync<CreatedTokenDto>(HttpStatusCode.Created);
        var script = host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
        using var request = CreateToken("https://evil.example");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        await (await script.SendAsync(request)).StatusAsync(HttpStatusCode.Created);
    }
}

public sealed class SqliteCrossSiteTests(SqliteHost host) : CrossSiteTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCrossSiteTests(PostgresHost host) : CrossSiteTests(host), IClassFixture<PostgresHost>;
