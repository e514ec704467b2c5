using System.Net;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Platform;

public sealed class PlatformDisabledReadinessTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task Without_the_platform_readyz_does_not_ask_for_an_engine()
    {
        var response = await host.NewClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("ok", checks.GetProperty("database").GetString());
        Assert.False(checks.TryGetProperty("engine", out _));
    }
}

public sealed class PlatformEnabledReadinessTests : IClassFixture<SqliteHost>
{
    readonly SqliteHost host;

    public PlatformEnabledReadinessTests(SqliteHost host)
    {
        // An engine address nothing listens on: the check must run and report it, without an engine here.
        host.Configure("Classcloud:Platform:Enabled", "true");
        host.Configure("Classcloud:Platform:Docker:Endpoint", "unix:///nonexistent/classcloud-docker.sock");
        this.host = host;
    }

    [Fact]
    public async Task With_the_platform_readyz_reports_an_unreachable_engine_as_unavailable()
    {
        var response = await host.NewClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("unavailable", checks.GetProperty("engine").GetString());
        Assert.Equal("ok", checks.GetProperty("database").GetString());
    }
}
