using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Sign-up, the mailed verification link, educator approval and the e-mail domain allow-list.</summary>
public abstract class RegistrationTests(ClasscloudHost host)
{
    [Fact]
    public async Task Sign_up_then_mailed_link_then_sign_in()
    {
        var client = host.NewClient();
        var email = TestAccounts.NewEmail();
        var register = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = TestAccounts.Password, name = "김학생", nickname = "kim", role = "student" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal("unverified", (await register.Content.ReadFromJsonAsync<MeDto>())!.Status);

        var early = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestAccounts.Password });
        var problem = await early.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Confirm your e-mail address first: open the link we mailed you.", problem.Detail);

        var token = await host.LatestTokenAsync(email, "/verify");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var me = await client.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(email, me!.Email);
        Assert.Equal("김학생", me.Name);
        Assert.Equal("active", me.Status);
        Assert.Equal("student", me.Role);

        var stored = (await host.FindUserAsync(email))!;
        Assert.True(stored.EmailConfirmed);
        Assert.Equal(AccountStatus.Active, stored.Status);
        Assert.NotEqual(TestAccounts.Password, stored.PasswordHash);
    }

    [Fact]
    public async Task Educator_is_pending_until_approved_and_the_open_session_sees_the_approval()
    {
        var client = host.NewClient();
        var email = TestAccounts.NewEmail("educator");
        var created = await (await client.RegisterAsync(email, role: "educator")).OkAsync<MeDto>(HttpStatusCode.Created);
        Assert.Equal("unverified", created.Status);
        await (await client.VerifyAsync(await host.LatestTokenAsync(email, "/verify"))).StatusAsync(HttpStatusCode.OK);

        // A pending educator can sign in and sees that the account waits for approval.
        await (await client.LoginAsync(email)).StatusAsync(HttpStatusCode.OK);
        var me = await client.MeAsync();
        Assert.Equal(("educator", "pending"), (me.Role, me.Status));
        Assert.Equal(AccountStatus.Pending, (await host.FindUserAsync(email))!.Status);

        var admin = await host.AdminAsync();
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{created.Id}/approve", null)).StatusAsync(HttpStatusCode.OK);

        me = await client.MeAsync();
        Assert.Equal(("educator", "active"), (me.Role, me.Status));
        Assert.Contains(await host.MailsToAsync(email), m => m.Subject == "Your educator account is approved");
    }

    [Fact]
    public async Task Expired_verification_link_is_refused_and_a_resent_one_works()
    {
        var clock = new FakeTimeProvider();
        var timed = host.Derive(s => s.AddSingleton<TimeProvider>(clock));
        var client = timed.NewClient();
        var email = TestAccounts.NewEmail();
        await (await client.RegisterAsync(email)).StatusAsync(HttpStatusCode.Created);
        var token = await timed.LatestTokenAsync(email, "/verify");

        clock.Advance(AccountTokens.VerifyLifetime + TimeSpan.FromMinutes(1));
        var problem = await (await client.VerifyAsync(token)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("This link is invalid, expired or already used. Ask for a new one.", problem.Detail);
        Assert.False((await timed.FindUserAsync(email))!.EmailConfirmed);

        await (await client.PostAsJsonAsync("/api/v1/auth/resend-verification", new { email })).StatusAsync(HttpStatusCode.Accepted);
        var fresh = await timed.LatestTokenAsync(email, "/verify");
        Assert.NotEqual(token, fresh);
        await (await client.VerifyAsync(fresh)).StatusAsync(HttpStatusCode.OK);
        Assert.True((await timed.FindUserAsync(email))!.EmailConfirmed);

        // Nothing is mailed for unknown or already verified addresses, and the answer is the same.
        var unknown = TestAccounts.NewEmail();
        await (await client.PostAsJsonAsync("/api/v1/auth/resend-verification", new { email = unknown })).StatusAsync(HttpStatusCode.Accepted);
        await (await client.PostAsJsonAsync("/api/v1/auth/resend-verification", new { email })).StatusAsync(HttpStatusCode.Accepted);
        Assert.Empty(await timed.MailsToAsync(unknown));
        Assert.Equal(2, (await timed.MailsToAsync(email)).Count);
    }

    [Fact]
    public async Task Allowed_email_domains_refuse_other_domains_and_store_nothing()
    {
        var admin = await host.AdminAsync();
        var client = host.NewClient();
        try
        {
            await SetDomainsAsync(admin, "pusan.ac.kr");
            await (await client.RegisterAsync($"{Guid.NewGuid():N}@pusan.ac.kr")).StatusAsync(HttpStatusCode.Created);
            await RefusedAsync(client, $"{Guid.NewGuid():N}@cs.pusan.ac.kr", "pusan.ac.kr");   // exact pattern: no subdomains
            await RefusedAsync(client, $"{Guid.NewGuid():N}@school.ac.kr", "pusan.ac.kr");

            await SetDomainsAsync(admin, "*.ac.kr", "pusan.ac.kr");
            await (await client.RegisterAsync($"{Guid.NewGuid():N}@school.ac.kr")).StatusAsync(HttpStatusCode.Created);
            await (await client.RegisterAsync($"{Guid.NewGuid():N}@cs.pusan.ac.kr")).StatusAsync(HttpStatusCode.Created);
            await (await client.RegisterAsync($"{Guid.NewGuid():N}@PUSAN.AC.KR")).StatusAsync(HttpStatusCode.Created);
            await RefusedAsync(client, $"{Guid.NewGuid():N}@gmail.com", "*.ac.kr, pusan.ac.kr");
            await RefusedAsync(client, $"{Guid.NewGuid():N}@ac.kr", "*.ac.kr, pusan.ac.kr");
            await RefusedAsync(client, $"{Guid.NewGuid():N}@fakeac.kr", "*.ac.kr, pusan.ac.kr");

            // Changing the e-mail on My page cannot step around the allow-list.
            var student = await host.UserAsync(TestRole.Student);
            var outside = $"{Guid.NewGuid():N}@gmail.com";
            var problem = await (await student.Client.PutAsJsonAsync("/api/v1/me", new { email = outside })).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Sign-up is limited to addresses at *.ac.kr, pusan.ac.kr.", problem.Detail);
            Assert.Empty(await host.MailsToAsync(outside));
        }
        finally
        {
            await SetDomainsAsync(admin);
        }
        await (await client.RegisterAsync($"{Guid.NewGuid():N}@gmail.com")).StatusAsync(HttpStatusCode.Created);
    }

    async Task RefusedAsync(HttpClient client, string email, string listed)
    {
        var count = await host.UserCountAsync();
        var tokens = await host.WithDbAsync(db => db.AccountTokens.CountAsync());
        var problem = await (await client.RegisterAsync(email)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"Sign-up is limited to addresses at {listed}.", problem.Detail);
        Assert.Equal(count, await host.UserCountAsync());
        Assert.Empty(await host.MailsToAsync(email));
        Assert.Equal(tokens, await host.WithDbAsync(db => db.AccountTokens.CountAsync()));
    }

    static async Task SetDomainsAsync(TestUser admin, params string[] domains) =>
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
            new { allowedEmailDomains = domains, maxWorkspacesPerUser = 3, maxCoursesPerEducator = 20, maxCoursesPerStudent = 30 })).StatusAsync(HttpStatusCode.OK);
}

public sealed class SqliteRegistrationTests(SqliteHost host) : RegistrationTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresRegistrationTests(PostgresHost host) : RegistrationTests(host), IClassFixture<PostgresHost>;
