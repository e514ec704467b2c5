using System.Net;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Accounts;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>The sampler and the OOM alert against the real engine, and registry usage against the real registry.</summary>
[Collection(EngineCollection.Name)]
public sealed class MonitorEngineTests(EngineFixture engine)
{
    const long MiB = 1024 * 1024;

    static readonly Dictionary<string, string?> Fast = new()
    {
        ["Classcloud:Monitoring:SampleInterval"] = "00:00:00.300",
        ["Classcloud:Monitoring:RegistryInterval"] = "00:00:01",
        ["Classcloud:Monitoring:StatsTimeout"] = "00:00:03",
    };

    [Fact]
    public async Task The_sampler_fills_the_snapshot_the_history_and_the_metrics_for_a_running_workload()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync(Fast);
        var id = harness.NewId("usage");
        await ControllerHarness.AddWorkloadAsync(host, id, ["sleep", "infinity"]);
        await harness.RunningAsync(id);

        var snapshot = host.Services.GetRequiredService<IUsageSnapshot>();
        var usage = await ControllerHarness.EventuallyAsync(() => Task.FromResult(snapshot.Get(id)), "usage sampled", 30);
        Assert.Equal(id, usage.WorkloadId);
        Assert.Equal(512 * MiB, usage.MemoryLimitBytes); // the platform's default limit
        Assert.InRange(usage.MemoryBytes, 1, 64 * MiB);
        Assert.True(usage.CpuPercent >= 0);
        Assert.Contains(snapshot.All, u => u.WorkloadId == id);

        // A pass reads the engine's facts before the workloads', so the first one may predate the start.
        var reading = await ControllerHarness.EventuallyAsync(() => Task.FromResult(
            host.Services.GetRequiredService<UsageSnapshot>().Host is { Registry: not null, Containers: >= 1 } r ? r : null), "registry counted, container seen", 30);
        Assert.True(reading.EngineUp);
        Assert.False(string.IsNullOrEmpty(reading.EngineVersion));
        Assert.True(reading.MemoryTotalBytes > 0 && reading.MemoryUsedBytes > 0);
        Assert.True(reading.Disk.TotalBytes > 0);
        Assert.True(reading.RegistryUp, reading.RegistryError);
        // The snapshot is set before the pass writes the history.
        await ControllerHarness.EventuallyAsync(async () => await host.WithDbAsync(db => db.HostSamples.AnyAsync(s => s.EngineUp && s.Containers >= 1)) ? "yes" : null, "host history", 10);
        await ControllerHarness.EventuallyAsync(async () => await host.WithDbAsync(db => db.RegistrySamples.AnyAsync(s => s.Up)) ? "yes" : null, "registry history", 10);

        using var local = host.NewClient(IPAddress.Loopback);
        var metrics = await local.GetStringAsync("/metrics");
        // The exporter writes labels in alphabetical order.
        Assert.Contains($"classcloud_workload_state{{kind=\"test\",owner=\"\",state=\"running\",workload=\"{id}\"}} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"classcloud_workload_memory_limit_bytes{{kind=\"test\",owner=\"\",workload=\"{id}\"}} {512 * MiB}\n", metrics, StringComparison.Ordinal);
        // OpenTelemetry's exporter writes a series without labels with empty braces.
        Assert.Matches(@"(?m)^classcloud_engine_up(\{\})? 1$", metrics);
        Assert.Matches(@"(?m)^classcloud_registry_up(\{\})? 1$", metrics);

        var admin = await host.AdminAsync();
        var panel = await (await admin.Client.GetAsync("/api/v1/admin/host?hours=1")).OkAsync<MonitoringEndpoints.HostDto>();
        Assert.NotNull(panel.Current);
        Assert.NotEmpty(panel.History);
        Assert.InRange(panel.History.Count, 1, MonitoringEndpoints.MaxPoints + 1);
        var html = await admin.Client.GetStringAsync("/admin/host");
        Assert.Contains(reading.EngineVersion!.Split('+')[0], html, StringComparison.Ordinal); // Razor encodes '+'
        Assert.Contains("data-testid=\"host-registry\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_hog_raises_one_oom_alert_mailed_once()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync(Fast);
        var id = harness.NewId("hog");
        await host.WithDbAsync(db =>
        {
            var now = DateTime.UtcNow;
            db.Workloads.Add(new Workload
            {
                Id = id,
                Kind = "test",
                SpecJson = new WorkloadDefinition { Image = EngineFixture.BaseImage, Command = ["tail", "/dev/zero"], Resources = new WorkloadResources(MemoryBytes: 32 * MiB) }.ToJson(),
                CreatedAt = now,
                UpdatedAt = now,
            });
            return db.SaveChangesAsync();
        });

        var alert = await ControllerHarness.EventuallyAsync(async () =>
            (await host.WithDbAsync(db => db.Alerts.AsNoTracking().Where(a => a.Kind == AlertKinds.Oom && a.Subject == id).ToListAsync())).SingleOrDefault(), "OOM alert", 60);
        Assert.Equal(id, alert.WorkloadId);
        Assert.Contains("memory limit", alert.Message, StringComparison.Ordinal);
        // It keeps being killed and restarted: still the one incident.
        await ControllerHarness.EventuallyAsync(async () => await ControllerHarness.RowAsync(host, id) is { RestartCount: >= 2 } r ? r : null, "restarted twice", 60);
        // Two whole monitor passes after the second restart: each saw an OOM-killed replica and kept the one incident (and its one mail).
        await ControllerHarness.PassesAsync(() => host.Services.GetRequiredService<UsageSampler>().Passes, 2, "monitor passes");
        var alerts = await host.WithDbAsync(db => db.Alerts.AsNoTracking().Where(a => a.Kind == AlertKinds.Oom && a.Subject == id).ToListAsync());
        Assert.NotNull(Assert.Single(alerts).MailedAt);
        // (The reconciler's crash-loop alert about the same workload is a different incident with its own mail.)
        Assert.Single(await host.MailsToAsync(InitialAdministrator.Email), m => m.Subject == "Classcloud alert: Out of memory" && m.Body.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registry_usage_counts_a_pushed_image_once_and_forgets_it_after_the_delete()
    {
        var repository = $"classcloud-test/monitor-{Guid.NewGuid():N}"[..40];
        var reference = $"{EngineFixture.Registry}/{repository}:1";
        var second = $"{EngineFixture.Registry}/{repository}:2";
        using var registry = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry });
        var platform = engine.Platform;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await platform.TagImageAsync(EngineFixture.BaseImage, reference, timeout.Token);
            await platform.TagImageAsync(EngineFixture.BaseImage, second, timeout.Token);
            await platform.PushImageAsync(reference, null, null, timeout.Token);
            await platform.PushImageAsync(second, null, null, timeout.Token);

            var (_, manifest) = await registry.ManifestAsync(repository, "1", timeout.Token);
            long expected;
            using (manifest)
            {
                var root = manifest.RootElement;
                expected = root.GetProperty("config").GetProperty("size").GetInt64()
                    + root.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
            }
            Assert.True(expected > 1_000_000, $"a Debian base image is larger than {expected} bytes");

            var usage = await registry.UsageAsync(new RegistryUsageLimits(), timeout.Token);
            var mine = Assert.Single(usage.PerRepository, r => r.Name == repository);
            Assert.Equal(2, mine.Tags);
            Assert.Equal(expected, mine.Bytes); // two tags of one image: its layers once
            Assert.True(usage.Bytes >= expected);
            Assert.Contains(repository, await registry.CatalogAsync(10_000, timeout.Token));

            Assert.True(await registry.DeleteTagAsync(repository, "1", timeout.Token));
            Assert.Empty(await registry.TagsAsync(repository, 100, timeout.Token)); // same digest: both tags go
            Assert.False(await registry.DeleteTagAsync(repository, "1", timeout.Token));
            var after = await registry.UsageAsync(new RegistryUsageLimits(), timeout.Token);
            Assert.DoesNotContain(after.PerRepository, r => r.Name == repository && r.Tags > 0);
        }
        finally
        {
            await platform.RemoveImageAsync(reference, force: false, CancellationToken.None);
            await platform.RemoveImageAsync(second, force: false, CancellationToken.None);
        }
    }
}
