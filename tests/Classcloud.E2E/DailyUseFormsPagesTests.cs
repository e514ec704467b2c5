using System.Net;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>A browser host whose capacity budget is one running workspace (no engine): a second start waits.</summary>
public sealed class OneSlotBrowserHost : BrowserHost
{
    public OneSlotBrowserHost() => Configure("Classcloud:Workspaces:Capacity:MaxRunning", "1");
}

/// <summary>
/// Issue 17's forms and the queue in the browser: sign-up errors beside their fields, all at once (390×844 Korean,
/// 1366×900 English); the create page's sizes; a waiting start that says why, who is ahead and that there is no
/// estimate yet, and the administrator's overview naming what holds the queue. Screenshots go to docs/images with
/// CLASSCLOUD_UPDATE_DOCS_IMAGES=1.
/// </summary>
public sealed class DailyUseFormsPagesTests(OneSlotBrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<OneSlotBrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Sign_up_shows_every_error_under_its_field_on_a_phone_in_Korean_and_in_English() => InBrowserAsync(async session =>
    {
        var phone = await session.NewPageAsync(locale: "ko-KR", width: 390, height: 844);
        await phone.GotoAsync("/signup");
        await phone.GetByTestId("signup-email").FillAsync("minji@");
        await phone.GetByTestId("signup-password").FillAsync("abc");
        await phone.GetByTestId("signup-nickname").FillAsync("민지");
        await phone.GetByTestId("signup-submit").ClickAsync();
        await Expect(phone.GetByTestId("signup-error-email")).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("signup-error-password")).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("signup-error-name")).ToContainTextAsync("이름");
        await Expect(phone.GetByTestId("signup-error-nickname")).ToHaveCountAsync(0);
        await Expect(phone.GetByTestId("signup-email")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        await Expect(phone.GetByTestId("signup-nickname")).ToHaveValueAsync("민지");
        await AssertFitsAsync(phone);
        await Artifacts.SaveAsync(phone, "signup-errors-ko-390.png");

        var desk = await session.NewPageAsync(width: 1366, height: 900);
        await desk.GotoAsync("/signup");
        await desk.GetByTestId("signup-submit").ClickAsync();
        foreach (var field in new[] { "email", "password", "name", "nickname" })
        {
            await Expect(desk.GetByTestId($"signup-error-{field}")).ToContainTextAsync("required");
        }
        await Artifacts.SaveAsync(desk, "signup-errors-en-1366.png");
    });

    [Fact]
    public Task The_create_page_offers_the_sizes_and_a_waiting_start_says_why_and_who_is_ahead() => InBrowserAsync(async session =>
    {
        var student = await Host.UserAsync(TestRole.Student);
        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync(student.Email);
        await page.GotoAsync("/workspaces/new");
        var size = page.GetByTestId("ws-size");
        await Expect(size.Locator("option")).ToHaveCountAsync(2);
        await Expect(size).ToHaveValueAsync("standard");
        await Expect(size.Locator("option[value=small]")).ToContainTextAsync("CPU");
        await Artifacts.SaveAsync(page, "workspace-new-sizes.png");

        // One slot, taken by another student's workspace: this start waits, first in line, and says why.
        var other = await Host.UserAsync(TestRole.Student);
        await WorkspaceRows.AddAsync(Host, other.Id, WorkspaceState.Running);
        var mine = await WorkspaceRows.AddAsync(Host, student.Id, name: "Waiting lab");
        await (await student.Client.PostAsync($"/api/v1/workspaces/{mine}/start", null)).StatusAsync(HttpStatusCode.Accepted);
        var phone = await session.NewPageAsync(locale: "ko-KR", width: 1280, height: 900);
        await phone.SignInAsync(student.Email);
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync("/workspaces");
        await Expect(phone.GetByTestId($"queue-reason-{mine}")).ToHaveAttributeAsync("data-reason", "count");
        await Expect(phone.GetByTestId($"queue-reason-{mine}")).ToContainTextAsync("동시에 실행할 수 있는 워크스페이스 수가 가득 찼습니다.");
        await Expect(phone.GetByTestId($"queue-reason-{mine}")).ToContainTextAsync("아직 예상 시간이 없습니다");
        await AssertFitsAsync(phone);
        await Artifacts.SaveAsync(phone, "workspace-queue-ko-390.png");

        var admin = await session.NewPageAsync(width: 1366, height: 900);
        await admin.SignInAsync("admin@localhost", Host.AdminPassword);
        await admin.GotoAsync("/admin");
        await Expect(admin.GetByTestId("overview-queue-hold")).ToHaveAttributeAsync("data-reason", "count");
        await Expect(admin.GetByTestId($"overview-queued-{mine}")).ToContainTextAsync("Waiting lab");
        await Artifacts.SaveAsync(admin, "admin-overview-queue.png");
    });

    static async Task AssertFitsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow} px wider than the window");
    }
}
