using System.Net;
using System.Text.Json;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Hosting;
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

    [Fact]
    public async Task Readyz_reads_the_workload_egress_rules_back_and_is_unavailable_without_them()
    {
        var timeout = TimeSpan.FromSeconds(60);
        Assert.Equal(0, (await HostShell.LibAsync("isolate_workloads", timeout)).Code);
        Assert.Equal("ok", await EgressAsync());
        string[] jump = ["-w", "-D", "DOCKER-USER", "-i", "cc-+", "-j", EgressReadiness.Chain];
        Assert.Equal(0, (await HostShell.RunAsync("iptables", jump, timeout)).Code);
        try
        {
            Assert.Equal("unavailable", await EgressAsync());
        }
        finally
        {
            Assert.Equal(0, (await HostShell.LibAsync("isolate_workloads", timeout)).Code);
        }
        Assert.Equal("ok", await EgressAsync());
    }

    [Fact]
    public void The_egress_check_names_every_missing_rule()
    {
        string[] complete = ["-N CLASSCLOUD-EGRESS", "-A DOCKER-USER -i cc-+ -j CLASSCLOUD-EGRESS",
            .. EgressReadiness.PrivateRanges.Select(r => $"-A CLASSCLOUD-EGRESS -d {r} -j DROP")];
        Assert.Empty(EgressReadiness.Missing(string.Join('\n', complete)));
        var withoutMetadata = string.Join('\n', complete.Where(l => !l.Contains("169.254", StringComparison.Ordinal)));
        Assert.Equal(["-A CLASSCLOUD-EGRESS -d 169.254.0.0/16 -j DROP"], EgressReadiness.Missing(withoutMetadata));
        Assert.Equal(1 + EgressReadiness.PrivateRanges.Count, EgressReadiness.Missing("").Count);
    }

    async Task<string?> EgressAsync()
    {
        var response = await host.NewClient().GetAsync("/readyz");
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        return checks.GetProperty("egress").GetString();
    }
}
