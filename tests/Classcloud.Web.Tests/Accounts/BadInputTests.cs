using System.Net;
using System.Net.Http.Json;
using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Bad input is a clear 4xx ProblemDetails with a detail, and nothing is stored (issue 2, "Tests that must exist").</summary>
public abstract class BadInputTests(ClasscloudHost host)
{
    /// <summary>Asserts the refusal and that no account, mail or audit entry appeared for the address.</summary>
    async Task<string> RefusedSignUpAsync(HttpResponseMessage response, HttpStatusCode status, string email)
    {
        var problem = await response.ProblemAsync(status);
        Assert.False(await host.UserExistsAsync(email));
        Assert.Empty(await host.MailsToAsync(email));
        Assert.Equal(0, await host.WithDbAsync(db => db.Audit.CountAsync(a => a.Target == email)));
        return problem.Detail!;
    }

    [Fact]
    public async Task Over_long_fields_are_refused_naming_the_field()
    {
        var client = host.NewClient();
        var before = await host.UserCountAsync();

        var email = TestAccounts.NewEmail();
        var detail = await RefusedSignUpAsync(await client.RegisterAsync(email, name: new string('n', 101)), HttpStatusCode.BadRequest, email);
        Assert.Contains("Name must be at most 100 characters", detail, StringComparison.Ordinal);

        email = TestAccounts.NewEmail();
        detail = await RefusedSignUpAsync(await client.RegisterAsync(email, nickname: new string('k', 51)), HttpStatusCode.BadRequest, email);
        Assert.Contains("Nickname must be at most 50 characters", detail, StringComparison.Ordinal);

        email = new string('e', 288) + "@school.ac.kr";
        Assert.Equal(301, email.Length);
        detail = await RefusedSignUpAsync(await client.RegisterAsync(email), HttpStatusCode.BadRequest, email);
        Assert.Contains("is not a valid e-mail address", detail, StringComparison.Ordinal);

        // At the limits the same fields are fine.
        email = TestAccounts.NewEmail();
        await (await client.RegisterAsync(email, name: new string('n', 100), nickname: new string('k', 50))).StatusAsync(HttpStatusCode.Created);
        Assert.Equal(before + 1, await host.UserCountAsync());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("someone@localhost")]
    [InlineData("two@@school.ac.kr")]
    [InlineData("Name <name@school.ac.kr>")]
    [InlineData("spaces in@school.ac.kr")]
    public async Task Malformed_email_is_refused(string email)
    {
        var detail = await RefusedSignUpAsync(await host.NewClient().RegisterAsync(email), HttpStatusCode.BadRequest, email);
        Assert.Contains("is not a valid e-mail address", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short1a", "at least 10 characters")]
    [InlineData("no-digits-here", "must contain a digit")]
    [InlineData("1234567890123", "must contain a letter")]
    [InlineData("", "Password is required")]
    public async Task Weak_password_is_refused(string password, string expected)
    {
        var email = TestAccounts.NewEmail();
        var detail = await RefusedSignUpAsync(await host.NewClient().RegisterAsync(email, password: password), HttpStatusCode.BadRequest, email);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_email_is_a_conflict_in_any_letter_case()
    {
        var client = host.NewClient();
        var email = TestAccounts.NewEmail();
        await (await client.RegisterAsync(email)).StatusAsync(HttpStatusCode.Created);
        var count = await host.UserCountAsync();
        var mails = (await host.MailsToAsync(email)).Count;

        var problem = await (await client.RegisterAsync(email, name: "Someone Else")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("This e-mail address is already registered.", problem.Detail);
        await (await client.RegisterAsync(email.ToUpperInvariant())).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(count, await host.UserCountAsync());
        Assert.Equal(mails, (await host.MailsToAsync(email)).Count);
        Assert.Equal("Test Person", (await host.FindUserAsync(email))!.Name);
    }

    [Theory]
    [InlineData("superuser")]
    [InlineData("admin")]       // nobody signs up as an administrator
    [InlineData("")]
    [InlineData("1")]
    public async Task Unknown_role_at_sign_up_is_refused(string role)
    {
        var email = TestAccounts.NewEmail();
        var detail = await RefusedSignUpAsync(await host.NewClient().RegisterAsync(email, role: role), HttpStatusCode.BadRequest, email);
        Assert.Equal("Role must be 'student' or 'educator'.", detail);
    }

    [Fact]
    public async Task Unknown_role_from_an_administrator_is_refused_and_the_role_kept()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        foreach (var role in new[] { "superuser", "", "2", "Admin2" })
        {
            var problem = await (await admin.Client.PutAsJsonAsync($"/api/v1/admin/users/{student.Id}/role", new { role }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Role must be 'student', 'educator' or 'admin'.", problem.Detail);
        }
        Assert.Equal(AccountRole.Student, (await host.FindUserAsync(student.Email))!.Role);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_with_a_detail()
    {
        var email = TestAccounts.NewEmail();
        var json = $$"""{"email":"{{email}}","password":"{{TestAccounts.Password}}","name":"N","nickname":"n","role":"student"}""";
        using var content = new StringContent(json, Encoding.UTF8, "text/plain");
        var detail = await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", content), HttpStatusCode.UnsupportedMediaType, email);
        Assert.Contains("application/json", detail, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["password"] = TestAccounts.Password });
        await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", form), HttpStatusCode.UnsupportedMediaType, email);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_detail()
    {
        var email = TestAccounts.NewEmail();
        using var content = new StringContent($$"""{"email":"{{email}}","password": """, Encoding.UTF8, "application/json");
        var detail = await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", content), HttpStatusCode.BadRequest, email);
        Assert.Contains("JSON", detail, StringComparison.Ordinal);

        using var wrongType = new StringContent($$"""{"email":"{{email}}","password":12345}""", Encoding.UTF8, "application/json");
        await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", wrongType), HttpStatusCode.BadRequest, email);
    }

    [Fact]
    public async Task Ten_megabyte_json_body_is_413_with_a_detail()
    {
        var email = TestAccounts.NewEmail();
        var json = $$"""{"email":"{{email}}","password":"{{TestAccounts.Password}}","name":"{{new string('x', 10 * 1024 * 1024)}}","nickname":"n","role":"student"}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var detail = await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", content), HttpStatusCode.RequestEntityTooLarge, email);
        Assert.Contains("the limit is 1048576 bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_body_of_unknown_length_over_the_limit_is_413()
    {
        // TestServer has no request body size limit, so this runs on real Kestrel, whose limit the
        // middleware sets for chunked bodies. A small limit keeps the whole body in the socket
        // buffers: with 10 MB, Kestrel answers and closes before the client finishes sending.
        var kestrel = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:Limits:MaxJsonBodyBytes"] = "4096" }, kestrel: true);
        using var client = kestrel.CreateClient();
        var email = TestAccounts.NewEmail();
        var json = $$"""{"email":"{{email}}","password":"{{TestAccounts.Password}}","name":"{{new string('x', 64 * 1024)}}","nickname":"n","role":"student"}""";
        using var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await RefusedSignUpAsync(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, email);
    }

    [Fact]
    public async Task Json_nested_100_levels_deep_is_400_with_a_detail()
    {
        var email = TestAccounts.NewEmail();
        var nested = new string('[', 100) + new string(']', 100);
        using var content = new StringContent($$"""{"email":"{{email}}","password":"{{TestAccounts.Password}}","name":"N","nickname":"n","role":"student","extra":{{nested}}}""",
            Encoding.UTF8, "application/json");
        var detail = await RefusedSignUpAsync(await host.NewClient().PostAsync("/api/v1/auth/register", content), HttpStatusCode.BadRequest, email);
        Assert.Contains("depth", detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_reused_and_malformed_tokens_are_400()
    {
        var client = host.NewClient();
        foreach (var token in new[] { "nope", new string('a', 500), "", " " })
        {
            var problem = await (await client.VerifyAsync(token)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("This link is invalid, expired or already used. Ask for a new one.", problem.Detail);
            await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "another-pass-42" }))
                .ProblemAsync(HttpStatusCode.BadRequest);
        }
        // A verification link is not a password-reset link, and the other way round.
        var email = TestAccounts.NewEmail();
        await (await client.RegisterAsync(email)).StatusAsync(HttpStatusCode.Created);
        var verify = await host.LatestTokenAsync(email, "/verify");
        await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token = verify, password = "another-pass-42" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.VerifyAsync(verify)).StatusAsync(HttpStatusCode.OK);
        await (await client.VerifyAsync(verify)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(await host.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email && u.EmailConfirmed)));
    }

    [Fact]
    public async Task Bad_profile_and_token_input_changes_nothing()
    {
        var user = await host.UserAsync(TestRole.Student);
        await (await user.Client.PutAsJsonAsync("/api/v1/me", new { nickname = new string('k', 51) })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PutAsJsonAsync("/api/v1/me", new { nickname = "ok", email = "not-an-email" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PutAsJsonAsync("/api/v1/me", new { culture = "fr" })).ProblemAsync(HttpStatusCode.BadRequest);
        var stored = (await host.FindUserAsync(user.Email))!;
        Assert.Equal("Student", stored.Nickname);
        Assert.Null(stored.Culture);

        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = new string('t', 101), expiresInDays = 30 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "cli", expiresInDays = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "cli", expiresInDays = 366 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = " ", expiresInDays = 30 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await host.WithDbAsync(db => db.PersonalAccessTokens.CountAsync(t => t.UserId == user.Id)));
    }

    [Fact]
    public async Task Unknown_api_route_and_wrong_method_are_problems_with_a_detail()
    {
        var client = host.NewClient();
        var missing = await (await client.GetAsync("/api/v1/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("There is nothing at this address.", missing.Detail);
        var method = await (await client.GetAsync("/api/v1/auth/login")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal("This address does not accept GET requests.", method.Detail);
        var anonymous = await (await client.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Sign in first, or send a valid personal access token.", anonymous.Detail);
    }

    /// <summary>A body whose length the client cannot know, so it is sent chunked.</summary>
    sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

public sealed class SqliteBadInputTests(SqliteHost host) : BadInputTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresBadInputTests(PostgresHost host) : BadInputTests(host), IClassFixture<PostgresHost>;
