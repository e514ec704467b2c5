using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// The host panel's charts (charts.js on uPlot) under the site's Content-Security-Policy: history rows in the
/// database become drawn lines, the period buttons ask again, a series with nothing in the period says so.
/// </summary>
public sealed class HostPanelTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    static readonly string[] Series = ["cpu", "memory", "disk", "containers", "registry"];

    [Fact]
    public Task The_host_panel_draws_its_history_and_follows_the_period() => InBrowserAsync(async session =>
    {
        // The last 50 minutes of host samples; registry counts only from 3 to 5 hours ago (outside "1 hour").
        var now = DateTime.UtcNow;
        await Host.WithDbAsync(db =>
        {
            for (var i = 25; i >= 0; i--)
            {
                db.HostSamples.Add(new HostSample
                {
                    SampledAt = now.AddMinutes(-2 * i), CpuPercent = 20 + 15 * Math.Sin(i / 3.0), MemoryUsedBytes = (6 + i % 5) * (1L << 30),
                    MemoryTotalBytes = 24L << 30, DiskUsedBytes = 40L << 30, DiskTotalBytes = 100L << 30, EngineUp = true, Containers = 3 + i % 4,
                });
            }
            for (var i = 0; i < 10; i++)
            {
                db.RegistrySamples.Add(new RegistrySample { SampledAt = now.AddHours(-5).AddMinutes(12 * i), Up = true, Repositories = 4, Tags = 9, Bytes = (700L + 30 * i) << 20 });
            }
            return db.SaveChangesAsync();
        });
        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync("admin@localhost", Host.AdminPassword);

        await page.GotoAsync("/admin/host");

        foreach (var name in Series)
        {
            var chart = page.GetByTestId($"chart-{name}");
            await Charts.ExpectPointsAsync(chart, name == "registry" ? 10 : 26);
            Assert.True(await Charts.LinePixelsAsync(chart) > 50, $"the {name} chart has points but no line on its canvas");
        }
        await Artifacts.SaveAsync(page, "admin-host-1366.png");

        await page.Locator("[data-host-hours='1']").ClickAsync();
        await Charts.ExpectPointsAsync(page.GetByTestId("chart-cpu"), 26);
        await Expect(page.GetByTestId("chart-registry")).ToHaveAttributeAsync("data-points", "0");
        await Expect(page.GetByTestId("chart-registry")).ToContainTextAsync("No history yet.");
        await Expect(page.GetByTestId("chart-registry").Locator("canvas")).ToBeHiddenAsync();
    });
}
