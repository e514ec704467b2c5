using System.Text.RegularExpressions;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

public sealed class AdminApprovalTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_administrator_approves_a_pending_educator_who_then_sees_an_active_account() => InBrowserAsync(async session =>
    {
        // The educator signs up in one browser...
        var educator = await session.NewPageAsync();
        var email = TestAccounts.NewEmail("educator");
        await educator.SignUpAsync(email, role: "educator", name: "Lee Seojun", nickname: "seojun");
        await Expect(educator.GetByTestId("check-mail")).ToContainTextAsync("approval");
        await educator.ConfirmEmailAsync(Host, email);
        await educator.SignInAsync(email);
        await educator.GotoAsync("/me");
        await Expect(educator.GetByText("Waiting for an administrator's approval.")).ToBeVisibleAsync();
        Assert.Equal("pending", (await educator.ApiMeAsync(Host)).GetProperty("status").GetString());
        var id = await Host.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

        // ...the administrator finds them in another and approves.
        var admin = await session.NewPageAsync();
        await admin.SignInAsync("admin@localhost", Host.AdminPassword);
        // /admin lands on the overview (issue 17), whose tile of educators awaiting approval leads to them.
        await admin.GetByTestId("nav-admin").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin$"));
        await Expect(admin.GetByTestId("overview-pending")).Not.ToContainTextAsync(new Regex("^\\s*0\\b"));
        await admin.GetByTestId("overview-pending").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/admin/users\\?role=educator&status=pending"));
        await Expect(admin.GetByTestId($"user-row-{id}")).ToBeVisibleAsync();
        // The whole list again: after the approval the row stays in view with its new status.
        await admin.GotoAsync("/admin/users");
        await admin.GetByTestId("users-search").FillAsync(email);
        await admin.GetByTestId("users-filter").ClickAsync();
        var row = admin.GetByTestId($"user-row-{id}");
        await Expect(row).ToContainTextAsync(email);
        await Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "pending");
        await Expect(admin.Locator("[data-testid^='user-row-']")).ToHaveCountAsync(1);

        await admin.GetByTestId($"approve-{id}").ClickAsync();

        await Expect(admin.GetByTestId("form-message")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId($"user-row-{id}").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "active");
        await Expect(admin.GetByTestId($"approve-{id}")).ToHaveCountAsync(0);

        // The educator's open session sees the approval at its next page, without signing in again
        // (the session is rebuilt from the database on every request).
        await educator.ReloadAsync();
        await Expect(educator).ToHaveURLAsync(new Regex("/me"));
        await Expect(educator.GetByTestId("me-email")).ToHaveTextAsync(email);
        await Expect(educator.GetByText("Waiting for an administrator's approval.")).ToHaveCountAsync(0);
        var me = await educator.ApiMeAsync(Host);
        Assert.Equal("educator", me.GetProperty("role").GetString());
        Assert.Equal("active", me.GetProperty("status").GetString());
        Assert.Equal(AccountStatus.Active, await Host.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Status).SingleAsync()));
    });
}
