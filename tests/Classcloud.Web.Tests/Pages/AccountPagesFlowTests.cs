using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Pages;

/// <summary>The account flows through the pages' forms, as a browser posts them.</summary>
public abstract class AccountPagesFlowTests(ClasscloudHost host)
{
    [Fact]
    public async Task Sign_up_then_verify_then_sign_in_then_my_page()
    {
        var client = host.NewClient();
        var email = TestAccounts.NewEmail("pages");
        var signUp = await client.SubmitAsync("/signup", "/signup",
            ("Email", email), ("Password", TestAccounts.Password), ("Name", "박교육"), ("Nickname", "park"), ("Role", "educator"));
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        Assert.Equal("/signup/check-mail", signUp.Headers.Location!.OriginalString);
        var checkMail = await client.HtmlAsync("/signup/check-mail");
        Assert.Contains(email, checkMail, StringComparison.Ordinal);

        // Opening the link alone does not spend the token (mail scanners open links too).
        var token = await host.LatestTokenAsync(email, "/verify");
        Assert.Contains("data-testid=\"verify-submit\"", await client.HtmlAsync("/verify?token=" + Uri.EscapeDataString(token)), StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        var verify = await client.SubmitAsync("/verify?token=" + Uri.EscapeDataString(token), "/verify", ("Token", token));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Contains("data-testid=\"verify-success\"", await verify.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await host.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync()));

        var again = await client.SubmitAsync("/verify?token=" + Uri.EscapeDataString(token), "/verify", ("Token", token));
        Assert.Contains("data-testid=\"verify-failure\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var wrong = await client.SubmitAsync("/signin", "/signin", ("Email", email), ("Password", "not-the-password-1"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The e-mail or password is incorrect.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var signIn = await client.SubmitAsync("/signin?returnUrl=%2Fme", "/signin", ("Email", email), ("Password", TestAccounts.Password), ("ReturnUrl", "/me"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/me", signIn.Headers.Location!.OriginalString);
        var me = await client.HtmlAsync("/me");
        Assert.Contains(email, me, StringComparison.Ordinal);
        Assert.Contains("박교육", me, StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_page_changes_nickname_and_keeps_the_session_after_a_password_change()
    {
        var student = await host.UserAsync(TestRole.Student);
        var nickname = await student.Client.SubmitAsync("/me", "/me?handler=Profile", ("nickname", "새닉네임"));
        Assert.Equal(HttpStatusCode.Redirect, nickname.StatusCode);
        Assert.Equal("새닉네임", await host.WithDbAsync(db => db.Users.Where(u => u.Id == student.Id).Select(u => u.Nickname).SingleAsync()));

        var password = await student.Client.SubmitAsync("/me", "/me?handler=Password",
            ("currentPassword", student.Password), ("newPassword", "another-pass-42"), ("confirmPassword", "another-pass-42"));
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Contains("Your password is changed.", await student.Client.HtmlAsync("/me"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_secret_is_shown_once_and_revocation_works()
    {
        var student = await host.UserAsync(TestRole.Student);
        var created = await student.Client.SubmitAsync("/me", "/me?handler=CreateToken", ("name", "laptop"), ("expiresInDays", "30"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"token-secret\">ccp_", html, StringComparison.Ordinal);
        var id = await host.WithDbAsync(db => db.PersonalAccessTokens.Where(t => t.UserId == student.Id).Select(t => t.Id).SingleAsync());
        Assert.DoesNotContain("data-testid=\"token-secret\"", await student.Client.HtmlAsync("/me"), StringComparison.Ordinal);

        var revoke = await student.Client.SubmitAsync("/me", $"/me?handler=RevokeToken&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.NotNull(await host.WithDbAsync(db => db.PersonalAccessTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task Deleting_the_account_needs_the_checkbox_and_the_password()
    {
        var student = await host.UserAsync(TestRole.Student);
        var unconfirmed = await student.Client.SubmitAsync("/me", "/me?handler=Delete", ("password", student.Password));
        Assert.Contains("Confirm that you want to delete your account.", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await host.UserExistsAsync(student.Email));

        var deleted = await student.Client.SubmitAsync("/me", "/me?handler=Delete", ("password", student.Password), ("confirm", "true"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/account-deleted", deleted.Headers.Location!.OriginalString);
        Assert.False(await host.UserExistsAsync(student.Email));
    }
}

public sealed class SqliteAccountPagesFlowTests(SqliteHost host) : AccountPagesFlowTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAccountPagesFlowTests(PostgresHost host) : AccountPagesFlowTests(host), IClassFixture<PostgresHost>;
