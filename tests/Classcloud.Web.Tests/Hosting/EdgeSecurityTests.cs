using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>
/// Issue 15, on the open internet: the platform's security headers, Secure cookies and HSTS when people
/// reach it over HTTPS (even through a proxy that talks plain HTTP to it), forwarded headers believed
/// only from known proxies, and mailed links that never come from the Host header.
/// </summary>
public sealed class EdgeSecurityTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    const string Proxy = "198.51.100.7";

    [Theory]
    [InlineData("/signin")]
    [InlineData("/api/v1/me")]
    [InlineData("/no-such-page")]
    public async Task Pages_api_and_errors_carry_the_security_headers(string path)
    {
        var response = await host.NewClient().GetAsync(path);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        // No public URL configured: nothing says the site is on HTTPS, so no HSTS.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_students_app_does_not_get_the_platforms_policy()
    {
        var client = host.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "no-such-app.apps.localhost";
        var response = await client.SendAsync(request);
        await response.StatusAsync(HttpStatusCode.NotFound);
        Assert.Contains("There is no app at this address.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task An_https_public_url_makes_every_cookie_secure_and_sends_hsts_even_over_plain_http()
    {
        var https = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:PublicUrl"] = "https://classcloud.example.ac.kr" });
        var client = https.NewClient();
        client.BaseAddress = new Uri("http://localhost"); // a TLS-terminating proxy that does not say so
        var page = await client.GetAsync("/signin");
        await page.StatusAsync(HttpStatusCode.OK);
        Assert.Equal("max-age=31536000", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "admin@localhost", password = https.AdminPassword });
        await login.StatusAsync(HttpStatusCode.OK);
        var auth = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("classcloud.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_a_known_proxy()
    {
        // A page on the proxy's public name posts back; the platform sees the proxy's Host unless it believes the forwarded one.
        static HttpRequestMessage Logout(string client) => new(HttpMethod.Post, "/api/v1/auth/logout")
        {
            Headers =
            {
                { "Origin", "https://classcloud.example.ac.kr" },
                { "X-Forwarded-Host", "classcloud.example.ac.kr" },
                { "X-Forwarded-Proto", "https" },
                { "X-Forwarded-For", client },
            },
        };
        var stranger = host.NewClient(IPAddress.Parse(Proxy));
        await (await stranger.SendAsync(Logout("203.0.113.9"))).ProblemAsync(HttpStatusCode.Forbidden);

        var proxied = host.Derive(configuration: new Dictionary<string, string?> { ["Classcloud:KnownProxies:0"] = Proxy });
        await (await proxied.NewClient(IPAddress.Parse(Proxy)).SendAsync(Logout("203.0.113.9"))).StatusAsync(HttpStatusCode.NoContent);
        // Loopback is a known proxy by default (Caddy or nginx on the same machine).
        await (await host.NewClient(IPAddress.Loopback).SendAsync(Logout("203.0.113.9"))).StatusAsync(HttpStatusCode.NoContent);

        // The audit log records the client behind the proxy, not the proxy.
        var email = TestAccounts.NewEmail("fwd");
        using var attempt = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { email, password = "wrong-password-1" }),
            Headers = { { "X-Forwarded-For", "203.0.113.9" } },
        };
        await (await proxied.NewClient(IPAddress.Parse(Proxy)).SendAsync(attempt)).StatusAsync(HttpStatusCode.Unauthorized);
        var recorded = await host.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .SingleAsync(db.Audit.Where(a => a.Target == email), CancellationToken.None));
        Assert.Equal("203.0.113.9", recorded.IpAddress);
    }

    [Fact]
    public async Task Mailed_links_ignore_the_host_header()
    {
        var user = await host.UserAsync(TestRole.Student);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/forgot-password") { Content = JsonContent.Create(new { email = user.Email }) };
        request.Headers.Host = "evil.example";
        await (await host.NewClient().SendAsync(request)).StatusAsync(HttpStatusCode.Accepted);
        var mail = (await host.MailsToAsync(user.Email)).Last(m => m.Body.Contains("/reset-password?token=", StringComparison.Ordinal));
        Assert.DoesNotContain("evil.example", mail.Body, StringComparison.Ordinal);
    }
}
