using System.Net;
using System.Text.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>A platform pointed at a missing engine socket and a registry address nothing listens on.</summary>
public sealed class UnreachableTests : IClassFixture<SqliteHost>
{
    readonly SqliteHost host;

    public UnreachableTests(SqliteHost host)
    {
        host.Configure("Classcloud:Platform:Enabled", "true");
        host.Configure("Classcloud:Platform:Docker:Endpoint", "unix:///nonexistent/classcloud-monitor.sock");
        host.Configure("Classcloud:Platform:Registry:Address", "127.0.0.1:1");
        host.Configure("Classcloud:Monitoring:SampleInterval", "00:00:00.200");
        this.host = host;
    }

    [Fact]
    public async Task Readyz_reports_the_registry_down()
    {
        var response = await host.NewClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("unavailable", checks.GetProperty("registry").GetString());
        Assert.Equal("unavailable", checks.GetProperty("engine").GetString());
        Assert.Equal("ok", checks.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Engine_and_registry_unreachable_raise_one_alert_each_mailed_once()
    {
        var sampler = host.Services.GetRequiredService<UsageSampler>();
        var start = sampler.Passes;
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(sampler.Passes >= start + 5 ? "done" : null), "five monitor passes", 30);

        var alerts = await host.WithDbAsync(db => db.Alerts.AsNoTracking().Where(a => a.Kind == AlertKinds.EngineUnreachable || a.Kind == AlertKinds.RegistryUnreachable).ToListAsync());
        var engineAlert = Assert.Single(alerts, a => a.Kind == AlertKinds.EngineUnreachable);
        var registryAlert = Assert.Single(alerts, a => a.Kind == AlertKinds.RegistryUnreachable);
        Assert.Equal("engine", engineAlert.Subject);
        Assert.Contains("nonexistent/classcloud-monitor.sock", engineAlert.Message, StringComparison.Ordinal);
        Assert.Equal("registry", registryAlert.Subject);
        Assert.Contains("127.0.0.1:1", registryAlert.Message, StringComparison.Ordinal);
        Assert.All(alerts, a => Assert.Null(a.ResolvedAt));
        var mails = await host.MailsToAsync(InitialAdministrator.Email);
        Assert.Single(mails, m => m.Subject == "Classcloud alert: Engine unreachable");
        Assert.Single(mails, m => m.Subject == "Classcloud alert: Registry unreachable");

        var reading = host.Services.GetRequiredService<UsageSnapshot>().Host!;
        Assert.False(reading.EngineUp);
        Assert.False(reading.RegistryUp);
        using var local = host.NewClient(IPAddress.Loopback);
        var metrics = await local.GetStringAsync("/metrics");
        // OpenTelemetry's exporter writes a series without labels with empty braces.
        Assert.Matches(@"(?m)^classcloud_engine_up(\{\})? 0$", metrics);
        Assert.Matches(@"(?m)^classcloud_registry_up(\{\})? 0$", metrics);
    }
}
