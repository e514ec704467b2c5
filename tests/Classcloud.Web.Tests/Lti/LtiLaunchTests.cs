using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Lti;

/// <summary>
/// LTI 1.3 launches end to end: the local platform (a real port, its own key) initiates the login, its authorization
/// endpoint answers the tool's request with a signed id_token, and the test client, as the browser, posts it to the
/// real host. Each test registers the platform under its own client id.
/// </summary>
public abstract class LtiLaunchTests(ClasscloudHost host, LocalLtiPlatform platform)
{
    static readonly Uri Launch = new("/lti/launch", UriKind.Relative);

    async Task<string> RegisterAsync(params string[] deployments)
    {
        var clientId = "tool-" + Guid.NewGuid().ToString("N")[..12];
        var admin = await host.AdminAsync();
        var created = await admin.Client.PostAsJsonAsync("/api/v1/admin/lti/platforms", platform.Registration(clientId, deployments));
        await created.StatusAsync(HttpStatusCode.Created);
        return clientId;
    }

    static LaunchClaims Person(string clientId, string role, string? email = null) =>
        new(clientId, "lms-user-" + Guid.NewGuid().ToString("N")[..10], email ?? TestAccounts.NewEmail("lti"), "LTI 학생", [role]);

    /// <summary>Login initiation → the platform's form → the state and id_token the browser would post.</summary>
    async Task<PlatformAnswer> StartAsync(HttpClient browser, LaunchClaims claims)
    {
        var query = $"iss={Uri.EscapeDataString(platform.Issuer)}&login_hint={Uri.EscapeDataString(claims.Subject)}"
            + $"&target_link_uri={Uri.EscapeDataString("https://localhost/lti/launch")}&client_id={claims.ClientId}&lti_message_hint=m1";
        using var login = await browser.GetAsync("/lti/login?" + query);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith(platform.Issuer + "/auth?", login.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("lti_message_hint=m1", login.Headers.Location.Query, StringComparison.Ordinal);
        platform.Next = claims;
        var answer = await platform.AuthorizeAsync(login.Headers.Location);
        Assert.EndsWith("/lti/launch", answer.Action, StringComparison.Ordinal);
        return answer;
    }

    /// <summary>The browser's cross-site form post of the platform's answer (Origin: the platform).</summary>
    async Task<HttpResponseMessage> PostAsync(HttpClient browser, string idToken, string state, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Launch)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id_token"] = idToken, ["state"] = state }),
        };
        request.Headers.Add("Origin", platform.Issuer);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        if (language is not null)
        {
            request.Headers.Add("Accept-Language", language);
        }
        return await browser.SendAsync(request);
    }

    static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string sentence)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {page[..Math.Min(page.Length, 400)]}");
        Assert.Contains("data-testid=\"lti-refusal\"", page, StringComparison.Ordinal);
        Assert.Contains(sentence, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    static async Task<long> CourseOfAsync(TestUser educator)
    {
        var course = await educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "LTI " + Guid.NewGuid(), description = "2026-2" });
        return (await course.OkAsync<CourseDto>(HttpStatusCode.Created)).Id;
    }

    [Fact]
    public async Task A_teacher_places_the_course_and_a_learner_is_signed_in_and_enrolled_on_first_launch()
    {
        var clientId = await RegisterAsync();
        var educator = await host.UserAsync(TestRole.Educator);
        var courseId = await CourseOfAsync(educator);

        // The teacher's LMS account carries the same address: joined to their Classcloud account, the LMS course linked.
        var teacher = Person(clientId, LaunchClaims.Instructor, educator.Email) with { Custom = new() { ["classcloud_course"] = courseId.ToString() } };
        using var teacherBrowser = host.NewClient();
        var answer = await StartAsync(teacherBrowser, teacher);
        using var landed = await PostAsync(teacherBrowser, answer.IdToken, answer.State);
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal($"/courses/{courseId}", landed.Headers.Location!.OriginalString);

        var learner = Person(clientId, LaunchClaims.Learner) with { ContextId = teacher.ContextId };
        using var browser = host.NewClient();
        answer = await StartAsync(browser, learner);
        using var entered = await PostAsync(browser, answer.IdToken, answer.State);
        Assert.Equal(HttpStatusCode.Redirect, entered.StatusCode);
        Assert.Equal($"/courses/{courseId}", entered.Headers.Location!.OriginalString);

        var me = await (await browser.GetAsync("/api/v1/me")).OkAsync<MeDto>();
        Assert.Equal(learner.Email, me.Email);
        var (status, role) = await host.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == learner.Email);
            var enrolment = await db.Enrolments.SingleAsync(e => e.CourseId == courseId && e.UserId == user.Id);
            return (enrolment.Status, user.Role);
        });
        Assert.Equal((EnrolmentStatus.Accepted, AccountRole.Student), (status, role));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/courses/{courseId}")).StatusCode);

        // The second launch finds the same account by platform and subject, even with another address in the claims.
        using var again = host.NewClient();
        answer = await StartAsync(again, learner with { Email = TestAccounts.NewEmail("moved") });
        using var second = await PostAsync(again, answer.IdToken, answer.State);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(learner.Email, (await (await again.GetAsync("/api/v1/me")).OkAsync<MeDto>()).Email);
    }

    [Fact]
    public async Task Deep_linking_places_a_course_with_a_signed_answer_and_links_the_lms_course()
    {
        var clientId = await RegisterAsync();
        var educator = await host.UserAsync(TestRole.Educator);
        var courseId = await CourseOfAsync(educator);
        var teacher = Person(clientId, LaunchClaims.Instructor, educator.Email) with { MessageType = "LtiDeepLinkingRequest" };
        using var browser = host.NewClient();
        var answer = await StartAsync(browser, teacher);
        using var picker = await PostAsync(browser, answer.IdToken, answer.State);
        var html = await picker.Content.ReadAsStringAsync();
        Assert.True(picker.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains($"value=\"course:{courseId}\"", html, StringComparison.Ordinal);
        string Hidden(string name) => WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, $"name=\"{name}\" type=\"hidden\" value=\"([^\"]+)\"|name=\"{name}\" value=\"([^\"]+)\"") is { Success: true } m
            ? m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value : "");
        var form = new Dictionary<string, string>
        {
            ["ticket"] = Hidden("ticket"),
            ["__RequestVerificationToken"] = Hidden("__RequestVerificationToken"),
            ["choice"] = $"course:{courseId}",
        };
        using var chosen = await browser.PostAsync("/lti/deep-link", new FormUrlEncodedContent(form));
        var back = await chosen.Content.ReadAsStringAsync();
        Assert.True(chosen.StatusCode == HttpStatusCode.OK, back);
        Assert.Contains($"action=\"{platform.DeepLinkReturnUrl}\"", back, StringComparison.Ordinal);
        var jwt = System.Text.RegularExpressions.Regex.Match(back, "name=\"JWT\" value=\"([^\"]+)\"").Groups[1].Value;

        // The platform checks the answer against the tool's published key set, as an LMS does.
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await browser.GetStringAsync("/lti/jwks"));
        var checkedAnswer = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(jwt, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = clientId,
            ValidAudience = platform.Issuer,
            IssuerSigningKeys = keys.Keys,
        });
        Assert.True(checkedAnswer.IsValid, checkedAnswer.Exception?.Message);
        // Read as the JSON the platform receives (the handler's claim dictionary flattens a one-item array).
        using var payload = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        var claims = payload.RootElement;
        Assert.Equal("LtiDeepLinkingResponse", claims.GetProperty("https://purl.imsglobal.org/spec/lti/claim/message_type").GetString());
        Assert.Equal(LocalLtiPlatform.Deployment, claims.GetProperty("https://purl.imsglobal.org/spec/lti/claim/deployment_id").GetString());
        Assert.Equal(LocalLtiPlatform.DeepLinkData, claims.GetProperty("https://purl.imsglobal.org/spec/lti-dl/claim/data").GetString());
        var item = Assert.Single(claims.GetProperty("https://purl.imsglobal.org/spec/lti-dl/claim/content_items").EnumerateArray());
        Assert.Equal("ltiResourceLink", item.GetProperty("type").GetString());
        Assert.Equal($"course:{courseId}", item.GetProperty("custom").GetProperty("classcloud_target").GetString());

        // The LMS course is now placed: a learner's launch from it (without any custom parameter) joins the course.
        var learner = Person(clientId, LaunchClaims.Learner) with { ContextId = teacher.ContextId };
        using var student = host.NewClient();
        answer = await StartAsync(student, learner);
        using var entered = await PostAsync(student, answer.IdToken, answer.State);
        Assert.Equal($"/courses/{courseId}", entered.Headers.Location?.OriginalString);

        // A student's deep-linking launch is refused.
        using var other = host.NewClient();
        answer = await StartAsync(other, learner with { MessageType = "LtiDeepLinkingRequest" });
        await AssertRefusedAsync(await PostAsync(other, answer.IdToken, answer.State), HttpStatusCode.Forbidden,
            "Only approved educators can place Classcloud content in a course.");
    }

    [Fact]
    public async Task A_new_instructor_gets_an_educator_account_awaiting_approval_and_is_told_so()
    {
        var clientId = await RegisterAsync();
        var teacher = Person(clientId, LaunchClaims.Instructor);
        using var browser = host.NewClient();
        var answer = await StartAsync(browser, teacher);
        using var page = await PostAsync(browser, answer.IdToken, answer.State, "ko");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"lti-notice\"", html, StringComparison.Ordinal);
        Assert.Contains("아직 Classcloud 강좌에 연결되지 않았습니다", html, StringComparison.Ordinal);
        var user = await host.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == teacher.Email));
        Assert.Equal((AccountRole.Educator, AccountStatus.Pending), (user.Role, user.Status));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_with_a_clear_page()
    {
        var clientId = await RegisterAsync();
        var forged = Person(clientId, LaunchClaims.Learner) with { Defect = LaunchDefect.ForeignSignature };
        using var browser = host.NewClient();
        var answer = await StartAsync(browser, forged);
        await AssertRefusedAsync(await PostAsync(browser, answer.IdToken, answer.State), HttpStatusCode.Forbidden,
            "The launch token's signature does not match the keys of Local LMS.");
        Assert.False(await host.UserExistsAsync(forged.Email));

        answer = await StartAsync(browser, forged);
        await AssertRefusedAsync(await PostAsync(browser, answer.IdToken, answer.State, "ko"), HttpStatusCode.Forbidden,
            "실행 토큰의 서명이 Local LMS의 키와 맞지 않습니다.");
    }

    [Fact]
    public async Task A_replayed_launch_and_a_replayed_nonce_are_refused()
    {
        var clientId = await RegisterAsync();
        var learner = Person(clientId, LaunchClaims.Learner);
        using var browser = host.NewClient();
        var answer = await StartAsync(browser, learner);
        using (var first = await PostAsync(browser, answer.IdToken, answer.State))
        {
            // Signed in; the LMS course is not placed yet, which the page says.
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Contains("data-testid=\"lti-notice\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // The same post again (a captured form): its state was used.
        await AssertRefusedAsync(await PostAsync(browser, answer.IdToken, answer.State), HttpStatusCode.Forbidden,
            "This launch has expired or was already used. Open the link in your course again.");
        // A fresh login's state with the old token: the token's nonce is not the one this login issued.
        var fresh = await StartAsync(browser, learner);
        await AssertRefusedAsync(await PostAsync(browser, answer.IdToken, fresh.State), HttpStatusCode.Forbidden,
            "This launch was already used. Open the link in your course again.");
    }

    [Fact]
    public async Task An_unknown_deployment_is_refused_with_a_clear_page()
    {
        var clientId = await RegisterAsync("deployment-1");
        var learner = Person(clientId, LaunchClaims.Learner) with { DeploymentId = "deployment-9" };
        using var browser = host.NewClient();
        var answer = await StartAsync(browser, learner);
        await AssertRefusedAsync(await PostAsync(browser, answer.IdToken, answer.State, "ko"), HttpStatusCode.Forbidden,
            "Local LMS의 배포 deployment-9는 Classcloud에 등록되지 않았습니다.");
        Assert.False(await host.UserExistsAsync(learner.Email));

        // Named already at login initiation, it stops there.
        using var login = await browser.GetAsync($"/lti/login?iss={Uri.EscapeDataString(platform.Issuer)}&login_hint=x&target_link_uri=x&client_id={clientId}&lti_deployment_id=deployment-9");
        await AssertRefusedAsync(login, HttpStatusCode.Forbidden, "Deployment deployment-9 of Local LMS is not registered in Classcloud.");
    }

    [Fact]
    public async Task A_launch_without_this_browsers_cookie_or_from_an_unknown_platform_is_refused()
    {
        var clientId = await RegisterAsync();
        var learner = Person(clientId, LaunchClaims.Learner);
        using var starter = host.NewClient();
        var answer = await StartAsync(starter, learner);
        using var other = host.NewClient();
        await AssertRefusedAsync(await PostAsync(other, answer.IdToken, answer.State), HttpStatusCode.Forbidden,
            "This browser did not start this launch");

        using var unknown = await starter.GetAsync("/lti/login?iss=https%3A%2F%2Flms.example.org&login_hint=x&target_link_uri=x");
        await AssertRefusedAsync(unknown, HttpStatusCode.NotFound, "The learning platform https://lms.example.org is not registered in Classcloud.");
        await AssertRefusedAsync(await PostAsync(starter, "", ""), HttpStatusCode.BadRequest, "The learning platform sent no launch token.");
    }
}

public sealed class SqliteLtiLaunchTests(SqliteHost host, LocalLtiPlatform platform)
    : LtiLaunchTests(host, platform), IClassFixture<SqliteHost>, IClassFixture<LocalLtiPlatform>;

public sealed class PostgresLtiLaunchTests(PostgresHost host, LocalLtiPlatform platform)
    : LtiLaunchTests(host, platform), IClassFixture<PostgresHost>, IClassFixture<LocalLtiPlatform>;
