using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Issue 5 pages: the list offers only the actions each state allows, destructive actions ask first,
/// create, detail, load with a wrong key, the public directory, and the pages in Korean. (This host
/// has no container engine: workspaces in a given state are written straight to the database.)
/// </summary>
public sealed class WorkspacePagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_list_offers_the_actions_of_each_state_and_the_forms_work() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "en-US");
        await page.NewAccountAsync(Host, "ws");
        var me = (await page.ApiMeAsync(Host)).GetProperty("id").GetInt64();
        var running = await WorkspaceRows.AddAsync(Host, me, WorkspaceState.Running, WorkspaceVisibility.Public, GuestAccess.View, name: "Algorithms lab");
        var stopped = await WorkspaceRows.AddAsync(Host, me, WorkspaceState.Stopped, kind: WorkspaceKind.Desktop, name: "Linux desktop");
        await WorkspaceRows.SnapshotAsync(Host, stopped);
        var saving = await WorkspaceRows.AddAsync(Host, me, WorkspaceState.Saving, name: "Saving now");

        await page.GotoAsync("/workspaces");
        await page.GetByTestId("nav-workspaces").WaitForAsync();
        await Expect(page.GetByTestId($"state-{running}")).ToHaveTextAsync("running");
        await Expect(page.GetByTestId($"connect-{running}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"stop-{running}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"start-{running}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"delete-{running}")).ToHaveCountAsync(0);
        foreach (var action in new[] { "start", "save", "edit", "delete" })
        {
            await Expect(page.GetByTestId($"{action}-{stopped}")).ToBeVisibleAsync();
        }
        await Expect(page.GetByTestId($"workspace-{saving}").Locator("button, a.btn")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-list.png"), FullPage = true });

        await page.GetByTestId($"delete-{stopped}").ClickAsync();
        await Expect(page.GetByTestId("confirm-ok")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-delete-confirm.png") });
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(page.GetByTestId($"workspace-{stopped}")).ToBeVisibleAsync();

        await page.GotoAsync($"/workspaces/{stopped}");
        await Expect(page.GetByTestId("snapshot-1")).ToBeVisibleAsync();
        await page.GetByTestId("export-1").ClickAsync();
        await Expect(page.GetByTestId("new-key")).ToContainTextAsync("cck_");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-detail.png"), FullPage = true });

        await page.GotoAsync("/workspaces/new");
        await page.GetByTestId("ws-name").FillAsync("Python practice");
        await page.GetByTestId("ws-description").FillAsync("Week 3 exercises");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-new.png"), FullPage = true });
        await page.GetByTestId("ws-submit").ClickAsync();
        // Three workspaces already: the default quota (admin settings) says so, and nothing is stored.
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("3 workspaces, the most allowed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-quota.png"), FullPage = true });
        // Without an engine a delete cannot finish (and a workspace being deleted still counts): drop the row.
        await Host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == saving).ExecuteDeleteAsync());
        await page.GotoAsync("/workspaces/new");
        await page.GetByTestId("ws-name").FillAsync("Python practice");
        await page.GetByTestId("ws-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("workspace-list")).ToContainTextAsync("Python practice");

        await page.GotoAsync("/workspaces/load");
        await page.GetByTestId("ws-key").FillAsync("cck_not-a-real-key");
        await page.GetByTestId("ws-name").FillAsync("Copy");
        await page.GetByTestId("ws-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("not valid");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-load-wrong-key.png"), FullPage = true });

        await page.GotoAsync("/workspaces/public?q=Algorithms");
        await Expect(page.GetByTestId($"public-{running}")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-directory.png"), FullPage = true });

        await page.GotoAsync("/workspaces");
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.GetByTestId($"state-{running}")).ToHaveTextAsync("실행 중");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("workspaces-list-ko.png"), FullPage = true });
    });
}
