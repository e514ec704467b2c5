using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Pages;

public abstract class CulturePageTests(ClasscloudHost host)
{
    [Fact]
    public async Task Visitor_switch_sets_the_cookie_and_the_next_page_is_Korean()
    {
        var client = host.NewClient();
        var response = await client.SubmitAsync("/signin", "/culture", ("culture", "ko"), ("returnUrl", "/signin?returnUrl=%2Fme"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fme", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.Contains("c%3Dko%7Cuic%3Dko", cookie, StringComparison.Ordinal);

        // No Accept-Language here: the cookie alone picks Korean.
        Assert.Contains("<html lang=\"ko\">", await client.HtmlAsync("/signin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_switch_saves_the_choice_to_the_user()
    {
        var student = await host.UserAsync(TestRole.Student);
        var response = await student.Client.SubmitAsync("/me", "/culture", ("culture", "ko"), ("returnUrl", "/me"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/me", response.Headers.Location!.OriginalString);
        Assert.Equal("ko", await host.WithDbAsync(db => db.Users.Where(u => u.Id == student.Id).Select(u => u.Culture).SingleAsync()));
        Assert.Contains("마이페이지", await student.Client.HtmlAsync("/me"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    public async Task Only_local_return_urls_are_followed(string returnUrl)
    {
        var response = await host.NewClient().SubmitAsync("/signin", "/culture", ("culture", "en"), ("returnUrl", returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Unknown_culture_changes_nothing()
    {
        var student = await host.UserAsync(TestRole.Student);
        var response = await student.Client.SubmitAsync("/me", "/culture", ("culture", "fr"), ("returnUrl", "/me"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal)));
        Assert.Null(await host.WithDbAsync(db => db.Users.Where(u => u.Id == student.Id).Select(u => u.Culture).SingleAsync()));
    }
}

public sealed class SqliteCulturePageTests(SqliteHost host) : CulturePageTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCulturePageTests(PostgresHost host) : CulturePageTests(host), IClassFixture<PostgresHost>;
