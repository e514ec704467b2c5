using System.Net;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Pages;

/// <summary>The "auth" rate limit covers the pages' form posts, not the showing of the forms.</summary>
public abstract class PageRateLimitTests
{
    const int Limit = 3;
    readonly ClasscloudHost host;

    protected PageRateLimitTests(ClasscloudHost host)
    {
        this.host = host;
        // Takes effect when the fixture's host starts, before this class's only test makes a client.
        host.Configure("Classcloud:Limits:AuthRequestsPerMinute", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_get_the_friendly_429_page()
    {
        var client = host.NewClient();
        for (var i = 0; i < Limit + 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
        }
        for (var i = 0; i < Limit; i++)
        {
            var attempt = await client.SubmitAsync("/signin", "/signin", ("Email", "nobody@school.ac.kr"), ("Password", "wrong-password-1"));
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }
        var limited = await client.SubmitAsync("/forgot-password", "/forgot-password", ("Email", "nobody@school.ac.kr"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var html = await limited.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"error-page\"", html, StringComparison.Ordinal);
        Assert.Contains("Too many attempts", html, StringComparison.Ordinal);
    }
}

public sealed class SqlitePageRateLimitTests(SqliteHost host) : PageRateLimitTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresPageRateLimitTests(PostgresHost host) : PageRateLimitTests(host), IClassFixture<PostgresHost>;
