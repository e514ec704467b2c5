using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Sign-in, sign-out, lockout after repeated failures, and the rate limit on the auth routes.</summary>
public abstract class SignInTests(ClasscloudHost host)
{
    [Fact]
    public async Task Sign_in_sets_a_cookie_session_and_sign_out_ends_it()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        await (await client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);

        var login = await client.LoginAsync(user.Email);
        var me = await login.OkAsync<MeDto>();
        Assert.Equal(user.Id, me.Id);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("classcloud.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(user.Email, (await client.MeAsync()).Email);

        // The e-mail is matched in any letter case and with surrounding spaces.
        await (await host.NewClient().LoginAsync($"  {user.Email.ToUpperInvariant()} ")).StatusAsync(HttpStatusCode.OK);

        await (await client.PostAsync("/api/v1/auth/logout", null)).StatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        // Signing out twice, or while signed out, is harmless.
        await (await client.PostAsync("/api/v1/auth/logout", null)).StatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_answer()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        var wrong = await (await client.LoginAsync(user.Email, "not-the-password-1")).ProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await (await client.LoginAsync(TestAccounts.NewEmail(), "not-the-password-1")).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The e-mail or password is incorrect.", wrong.Detail);
        Assert.Equal(wrong.Detail, unknown.Detail);
        await (await client.LoginAsync(user.Email, "")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password_until_the_lockout_ends()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        for (var i = 1; i <= 4; i++)
        {
            await (await client.LoginAsync(user.Email, $"wrong-password-{i}")).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        var locked = await (await client.LoginAsync(user.Email, "wrong-password-5")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Too many failed attempts. Try again in 5 minutes.", locked.Detail);

        var right = await (await client.LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.StartsWith("Too many failed attempts.", right.Detail, StringComparison.Ordinal);
        await (await client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        var stored = (await host.FindUserAsync(user.Email))!;
        Assert.True(stored.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(4));

        // Identity compares the lockout end with the real clock, so the five minutes pass in the database.
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await (await client.LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);
        Assert.Equal(0, (await host.FindUserAsync(user.Email))!.AccessFailedCount);
    }

    [Fact]
    public async Task Disabled_account_cannot_sign_in_with_the_right_password()
    {
        var user = await host.UserAsync(TestRole.Student);
        var admin = await host.AdminAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/disable", null)).StatusAsync(HttpStatusCode.OK);
        var problem = await (await host.NewClient().LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("This account is disabled. Contact an administrator.", problem.Detail);
        // A wrong password does not tell the account is disabled.
        await (await host.NewClient().LoginAsync(user.Email, "wrong-password-1")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Auth_routes_answer_429_problem_details_past_the_configured_rate()
    {
        var limited = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:Limits:AuthRequestsPerMinute"] = "3" });
        var address = IPAddress.Parse("198.51.100.7");
        var client = limited.NewClient(address);
        var email = TestAccounts.NewEmail();
        await (await client.LoginAsync(email, "wrong-password-1")).StatusAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusAsync(HttpStatusCode.Accepted);
        await (await client.RegisterAsync(email)).StatusAsync(HttpStatusCode.Created);

        var fourth = await (await client.LoginAsync(email)).ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many attempts from this address; wait a minute and try again.", fourth.Detail);
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-id", new { name = "x", email })).ProblemAsync(HttpStatusCode.TooManyRequests);
        await (await client.RegisterAsync(TestAccounts.NewEmail())).ProblemAsync(HttpStatusCode.TooManyRequests);

        // The limit is per client address, and routes outside /api/v1/auth are not limited by it.
        await (await limited.NewClient(IPAddress.Parse("198.51.100.8")).LoginAsync(email, "wrong-password-1")).StatusAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/healthz")).StatusAsync(HttpStatusCode.OK);
    }
}

public sealed class SqliteSignInTests(SqliteHost host) : SignInTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresSignInTests(PostgresHost host) : SignInTests(host), IClassFixture<PostgresHost>;
