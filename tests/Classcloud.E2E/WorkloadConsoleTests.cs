using System.Text.RegularExpressions;
using Classcloud.E2E.Infrastructure;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>The browser host with the platform and the controller on the real engine, in a scope of its own.</summary>
public sealed class ConsoleBrowserHost : BrowserHost
{
    public ConsoleBrowserHost()
    {
        Configure("Classcloud:Platform:Enabled", "true");
        Configure("Classcloud:Controller:Scope", Scope);
        Configure("Classcloud:Controller:ResyncInterval", "00:00:00.500");
        Configure("Classcloud:Controller:CrashLoopRestarts", "3");
        Configure("Classcloud:Controller:BackoffBase", "00:00:00.200");
        Configure("Classcloud:Controller:BackoffMax", "00:00:02");
    }

    public string Scope { get; } = $"e2e-{Guid.NewGuid():N}"[..14];

    protected override async Task CleanUpAsync()
    {
        // The host's own services are disposed by now: a platform of our own removes what the controller made.
        await using var services = EngineFixture.CreateServices(new Dictionary<string, string?>());
        var platform = services.GetRequiredService<IContainerPlatform>();
        foreach (var workload in await platform.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = Scope }, CancellationToken.None))
        {
            await platform.RemoveAsync(workload.Id, CancellationToken.None);
        }
        await base.CleanUpAsync();
    }
}

/// <summary>The container console in a browser: the list, the live detail page, a confirmed stop. Leaves screenshots.</summary>
public sealed class WorkloadConsoleTests(ConsoleBrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<ConsoleBrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_administrator_watches_a_workload_live_and_stops_it() => InBrowserAsync(async session =>
    {
        var scope = ((ConsoleBrowserHost)Host).Scope;
        var ownerEmail = await (await session.NewPageAsync()).NewAccountAsync(Host, "owner");
        var ownerId = await Host.WithDbAsync(db => db.Users.Where(u => u.Email == ownerEmail).Select(u => u.Id).SingleAsync());
        var web = $"{scope}-web";
        await AddAsync(web, "app", ownerId, 2, ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \"GET /api/items/$i 200 ${i}ms\"; sleep 1; done"]);
        await AddAsync($"{scope}-ide", "workspace", ownerId, 1, ["sleep", "infinity"]);
        await AddAsync($"{scope}-grader", "test", null, 1, ["false"]);

        var platform = Host.Services.GetRequiredService<IContainerPlatform>();
        for (var i = 0; i < 200 && (await platform.GetAsync(new WorkloadId(web), CancellationToken.None))?.Running != 2; i++)
        {
            await Task.Delay(150);
        }

        var page = await session.NewPageAsync();
        await page.SetViewportSizeAsync(1366, 900);
        await page.SignInAsync("admin@localhost", Host.AdminPassword);
        await page.GotoAsync("/admin/users");
        await page.GetByTestId("admin-nav-workloads").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/workloads$"));
        await Expect(page.Locator("[data-testid^='workload-row-']")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId($"workload-row-{web}")).ToContainTextAsync("2 of 2 running");
        var grader = $"{scope}-grader";
        for (var i = 0; i < 200 && !await Host.WithDbAsync(db => db.Workloads.AnyAsync(w => w.Id == grader && w.CrashLoop)); i++)
        {
            await Task.Delay(150);
        }
        await page.ReloadAsync();
        await Expect(page.GetByTestId($"workload-row-{grader}").Locator("[data-state]")).ToHaveAttributeAsync("data-state", "crash-loop");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("admin-workloads.png"), FullPage = true });

        await page.GetByTestId($"workload-link-{web}").ClickAsync();
        await Expect(page.GetByTestId("workload-instances").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("workload-logs")).ToContainTextAsync("GET /api/items/", new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-chart-value=memory]")).ToContainTextAsync("iB", new() { Timeout = 20_000 });
        // A few samples drawn, so the charts have lines (network needs two samples for its first rate).
        foreach (var chart in new[] { "cpu", "memory", "network" })
        {
            await Charts.ExpectPointsAsync(page.GetByTestId($"chart-{chart}"), 5);
        }
        Assert.True(await Charts.LinePixelsAsync(page.GetByTestId("chart-memory")) > 10, "the memory chart has points but no line");
        await Artifacts.SaveAsync(page, "admin-workload-detail-1366.png");

        // Stop asks first; cancelling keeps it running, confirming stops it for good.
        await page.GetByTestId($"stop-{web}").ClickAsync();
        await Expect(page.Locator("#cc-confirm")).ToBeVisibleAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("form-message")).ToContainTextAsync($"{web} is stopping.");
        await Expect(page.GetByTestId("workload-desired")).ToContainTextAsync("Stopped /");
        for (var i = 0; i < 200 && (await platform.GetAsync(new WorkloadId(web), CancellationToken.None))?.Running != 0; i++)
        {
            await Task.Delay(150);
        }
        Assert.Equal(0, (await platform.GetAsync(new WorkloadId(web), CancellationToken.None))!.Running);
        await Expect(page.GetByTestId($"start-{web}")).ToBeVisibleAsync();
    });

    Task<int> AddAsync(string id, string kind, long? owner, int replicas, IReadOnlyList<string> command) => Host.WithDbAsync(async db =>
    {
        db.Workloads.Add(new Workload
        {
            Id = id,
            Kind = kind,
            OwnerId = owner,
            SpecJson = new WorkloadDefinition
            {
                Image = EngineFixture.BaseImage, Command = command, Replicas = replicas,
                Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 256L * 1024 * 1024, Pids: 128),
            }.ToJson(),
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        });
        return await db.SaveChangesAsync();
    });
}
