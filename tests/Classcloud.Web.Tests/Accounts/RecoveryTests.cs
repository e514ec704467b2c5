using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Find my ID, password reset by a mailed single-use link, and change password (seed 000 §3.2.5–3.2.6).</summary>
public abstract class RecoveryTests(ClasscloudHost host)
{
    [Fact]
    public async Task Find_my_id_answers_the_same_for_any_account_and_mails_only_the_owner()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        var missing = TestAccounts.NewEmail();

        var real = await client.PostAsJsonAsync("/api/v1/auth/forgot-id", new { name = "Test Student", email = user.Email });
        var none = await client.PostAsJsonAsync("/api/v1/auth/forgot-id", new { name = "Test Student", email = missing });
        var wrongName = await client.PostAsJsonAsync("/api/v1/auth/forgot-id", new { name = "Someone Else", email = user.Email });
        foreach (var response in new[] { real, none, wrongName })
        {
            await response.StatusAsync(HttpStatusCode.Accepted);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }

        var reminder = Assert.Single(await host.MailsToAsync(user.Email), m => m.Subject == "Your Classcloud ID");
        Assert.Contains(user.Email, reminder.Body, StringComparison.Ordinal);
        Assert.Empty(await host.MailsToAsync(missing));
    }

    [Fact]
    public async Task Password_reset_link_works_once_and_a_weak_password_does_not_spend_it()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = user.Email })).StatusAsync(HttpStatusCode.Accepted);
        var missing = TestAccounts.NewEmail();
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = missing })).StatusAsync(HttpStatusCode.Accepted);
        Assert.Empty(await host.MailsToAsync(missing));
        var token = await host.LatestTokenAsync(user.Email, "/reset-password");

        var weak = await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "short1" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Password must be at least 10 characters.", weak.Detail);
        await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "no-digit-in-here" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);

        const string newPassword = "brand-new-pass-9";
        await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = newPassword })).StatusAsync(HttpStatusCode.NoContent);
        var reused = await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "another-pass-42" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("This link is invalid, expired or already used. Ask for a new one.", reused.Detail);

        await (await host.NewClient().LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(user.Email, "another-pass-42")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(user.Email, newPassword)).StatusAsync(HttpStatusCode.OK);
        // The reset ends sessions opened with the old password.
        await (await user.Client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Password_reset_clears_a_lockout()
    {
        var user = await host.UserAsync(TestRole.Student);
        var client = host.NewClient();
        for (var i = 0; i < 5; i++)
        {
            await client.LoginAsync(user.Email, $"wrong-password-{i}");
        }
        await (await client.LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = user.Email })).StatusAsync(HttpStatusCode.Accepted);
        var token = await host.LatestTokenAsync(user.Email, "/reset-password");
        await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "after-lockout-7" })).StatusAsync(HttpStatusCode.NoContent);
        await (await client.LoginAsync(user.Email, "after-lockout-7")).StatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Expired_password_reset_link_is_refused()
    {
        var clock = new FakeTimeProvider();
        var timed = host.Derive(s => s.AddSingleton<TimeProvider>(clock));
        var user = await timed.UserAsync(TestRole.Student);
        var client = timed.NewClient();
        await (await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = user.Email })).StatusAsync(HttpStatusCode.Accepted);
        var token = await timed.LatestTokenAsync(user.Email, "/reset-password");

        clock.Advance(AccountTokens.ResetLifetime + TimeSpan.FromSeconds(1));
        var problem = await (await client.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password = "too-late-pass-1" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("This link is invalid, expired or already used. Ask for a new one.", problem.Detail);
        await (await timed.NewClient().LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);
        await (await timed.NewClient().LoginAsync(user.Email, "too-late-pass-1")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Change_password_needs_the_current_one_and_keeps_this_session()
    {
        var user = await host.UserAsync(TestRole.Student);
        var other = host.NewClient();
        await (await other.LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);

        var wrong = await (await user.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "not-it-at-all-1", newPassword = "changed-pass-3" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The current password is incorrect.", wrong.Detail);
        var weak = await (await user.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = user.Password, newPassword = "weak" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Password must be at least 10 characters. Password must contain a digit.", weak.Detail);
        await (await host.NewClient().LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);

        await (await user.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = user.Password, newPassword = "changed-pass-3" }))
            .StatusAsync(HttpStatusCode.NoContent);
        // The session that changed it goes on; sessions elsewhere end; only the new password signs in.
        Assert.Equal(user.Email, (await user.Client.MeAsync()).Email);
        await (await other.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(user.Email, "changed-pass-3")).StatusAsync(HttpStatusCode.OK);
    }
}

public sealed class SqliteRecoveryTests(SqliteHost host) : RecoveryTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresRecoveryTests(PostgresHost host) : RecoveryTests(host), IClassFixture<PostgresHost>;
