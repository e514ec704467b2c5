using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>My page: nickname, e-mail (re-verified), language, and deleting the account (seed 000 MEM03–MEM04).</summary>
public abstract class ProfileTests(ClasscloudHost host)
{
    [Fact]
    public async Task Nickname_changes_but_name_and_role_do_not()
    {
        var user = await host.UserAsync(TestRole.Student);
        var me = await (await user.Client.PutAsJsonAsync("/api/v1/me", new { nickname = "  새 별명  ", name = "Other Name", role = "admin" })).OkAsync<MeDto>();
        Assert.Equal("새 별명", me.Nickname);
        var stored = (await host.FindUserAsync(user.Email))!;
        Assert.Equal(("새 별명", "Test Student", AccountRole.Student), (stored.Nickname, stored.Name, stored.Role));
        Assert.Equal("새 별명", (await user.Client.MeAsync()).Nickname);
    }

    [Fact]
    public async Task Culture_is_saved_and_follows_the_user_to_a_new_sign_in()
    {
        var user = await host.UserAsync(TestRole.Student);
        var response = await user.Client.PutAsJsonAsync("/api/v1/me", new { culture = "ko" });
        Assert.Equal("ko", (await response.OkAsync<MeDto>()).Culture);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dko", StringComparison.Ordinal));
        Assert.Equal("ko", (await host.FindUserAsync(user.Email))!.Culture);

        var login = await host.NewClient().LoginAsync(user.Email);
        await login.StatusAsync(HttpStatusCode.OK);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dko", StringComparison.Ordinal));

        // Problems come back in the chosen language (through the culture cookie).
        var refused = await (await user.Client.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("이 작업을 할 권한이 없습니다.", refused.Detail);

        // An empty culture goes back to following the browser.
        await (await user.Client.PutAsJsonAsync("/api/v1/me", new { culture = "" })).StatusAsync(HttpStatusCode.OK);
        Assert.Null((await host.FindUserAsync(user.Email))!.Culture);
    }

    [Fact]
    public async Task Email_change_takes_effect_only_when_the_link_to_the_new_address_is_opened()
    {
        var user = await host.UserAsync(TestRole.Student);
        var newEmail = TestAccounts.NewEmail("moved");
        var me = await (await user.Client.PutAsJsonAsync("/api/v1/me", new { email = newEmail })).OkAsync<MeDto>();
        Assert.Equal(user.Email, me.Email);
        Assert.Equal(user.Email, (await host.FindUserAsync(user.Email))!.Email);

        // Until the link is opened the old address signs in and the new one does not.
        await (await host.NewClient().LoginAsync(user.Email)).StatusAsync(HttpStatusCode.OK);
        await (await host.NewClient().LoginAsync(newEmail)).ProblemAsync(HttpStatusCode.Unauthorized);
        var token = await host.LatestTokenAsync(newEmail, "/verify");

        await (await host.NewClient().VerifyAsync(token)).StatusAsync(HttpStatusCode.OK);
        await (await host.NewClient().LoginAsync(newEmail)).StatusAsync(HttpStatusCode.OK);
        await (await host.NewClient().LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(await host.FindUserAsync(user.Email));
        var stored = (await host.FindUserAsync(newEmail))!;
        Assert.True(stored.EmailConfirmed);
        Assert.Equal(user.Id, stored.Id);
        await (await host.NewClient().VerifyAsync(token)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Email_change_to_a_taken_address_is_a_conflict()
    {
        var user = await host.UserAsync(TestRole.Student);
        var other = await host.UserAsync(TestRole.Student);
        var problem = await (await user.Client.PutAsJsonAsync("/api/v1/me", new { email = other.Email.ToUpperInvariant() })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("This e-mail address is already registered.", problem.Detail);
        Assert.Equal(user.Email, (await host.FindUserAsync(user.Email))!.Email);

        // Two accounts asking for the same new address: the second link to be opened is refused.
        var wanted = TestAccounts.NewEmail("wanted");
        await (await user.Client.PutAsJsonAsync("/api/v1/me", new { email = wanted })).StatusAsync(HttpStatusCode.OK);
        var first = await host.LatestTokenAsync(wanted, "/verify");
        await (await other.Client.PutAsJsonAsync("/api/v1/me", new { email = wanted })).StatusAsync(HttpStatusCode.OK);
        var second = await host.LatestTokenAsync(wanted, "/verify");
        await (await host.NewClient().VerifyAsync(second)).StatusAsync(HttpStatusCode.OK);
        await (await host.NewClient().VerifyAsync(first)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(other.Id, (await host.FindUserAsync(wanted))!.Id);
        Assert.Equal(user.Email, (await host.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == user.Id))).Email);
    }

    [Fact]
    public async Task Delete_account_needs_the_password_and_confirmation()
    {
        var user = await host.UserAsync(TestRole.Student);
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "cli", expiresInDays = 30 })).StatusAsync(HttpStatusCode.Created);

        var wrong = await (await user.Client.DeleteAsJsonAsync("/api/v1/me", new { password = "not-my-password-1", confirm = true })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The current password is incorrect.", wrong.Detail);
        var unconfirmed = await (await user.Client.DeleteAsJsonAsync("/api/v1/me", new { password = user.Password, confirm = false })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Confirm that you want to delete your account.", unconfirmed.Detail);
        Assert.True(await host.UserExistsAsync(user.Email));
        Assert.Equal(user.Email, (await user.Client.MeAsync()).Email);

        await (await user.Client.DeleteAsJsonAsync("/api/v1/me", new { password = user.Password, confirm = true })).StatusAsync(HttpStatusCode.NoContent);
        Assert.False(await host.UserExistsAsync(user.Email));
        Assert.Equal(0, await host.WithDbAsync(db => db.PersonalAccessTokens.CountAsync(t => t.UserId == user.Id)));
        Assert.Equal(0, await host.WithDbAsync(db => db.AccountTokens.CountAsync(t => t.UserId == user.Id)));
        await (await user.Client.GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await host.NewClient().LoginAsync(user.Email)).ProblemAsync(HttpStatusCode.Unauthorized);

        // The address is free again.
        await (await host.NewClient().RegisterAsync(user.Email)).StatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Deletion_guard_refuses_with_its_sentence_and_nothing_is_deleted()
    {
        var guarded = host.Derive(s => s.AddScoped<IAccountDeletionGuard, CourseOwnerGuard>());
        var educator = await guarded.UserAsync(TestRole.Educator);
        var student = await guarded.UserAsync(TestRole.Student);

        var problem = await (await educator.Client.DeleteAsJsonAsync("/api/v1/me", new { password = educator.Password, confirm = true }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(CourseOwnerGuard.Sentence, problem.Detail);
        Assert.True(await guarded.UserExistsAsync(educator.Email));
        Assert.Equal(educator.Email, (await educator.Client.MeAsync()).Email);

        // The guard holds for an administrator's deletion too, and lets others go.
        var admin = await guarded.AdminAsync();
        var byAdmin = await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{educator.Id}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(CourseOwnerGuard.Sentence, byAdmin.Detail);
        Assert.True(await guarded.UserExistsAsync(educator.Email));
        await (await student.Client.DeleteAsJsonAsync("/api/v1/me", new { password = student.Password, confirm = true })).StatusAsync(HttpStatusCode.NoContent);
        Assert.False(await guarded.UserExistsAsync(student.Email));
    }

    /// <summary>Stands in for the courses feature: an educator who owns a course cannot leave.</summary>
    sealed class CourseOwnerGuard : IAccountDeletionGuard
    {
        public const string Sentence = "You still own the course \"Algorithms 101\". Hand it over or delete it first.";

        public Task<string?> BlockingReasonAsync(User user, CancellationToken ct) =>
            Task.FromResult(user.Role == AccountRole.Educator ? Sentence : null);
    }
}

public sealed class SqliteProfileTests(SqliteHost host) : ProfileTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresProfileTests(PostgresHost host) : ProfileTests(host), IClassFixture<PostgresHost>;
