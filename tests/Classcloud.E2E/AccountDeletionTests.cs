using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

public sealed class AccountDeletionTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Deleting_the_account_needs_the_password_the_checkbox_and_the_dialog_and_then_sign_in_fails() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var email = await page.NewAccountAsync(Host, "delete");
        await page.GotoAsync("/me");
        var dialog = page.Locator("#cc-confirm");

        // Without ticking the checkbox: refused by the server, nothing deleted.
        await page.GetByTestId("delete-password").FillAsync(Flows.Password);
        await page.GetByTestId("delete-account").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        Assert.True(await Host.UserExistsAsync(email));

        // Ticked, but the dialog is cancelled: still nothing deleted.
        await page.GetByTestId("delete-password").FillAsync(Flows.Password);
        await page.GetByTestId("delete-confirm").CheckAsync();
        await page.GetByTestId("delete-account").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Delete your Classcloud account for good?");
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByTestId("my-page")).ToBeVisibleAsync();
        Assert.True(await Host.UserExistsAsync(email));

        // Confirmed in the dialog: gone, and signed out.
        await page.GetByTestId("delete-account").ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("account-deleted")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("my-page")).ToHaveCountAsync(0);
        Assert.False(await Host.UserExistsAsync(email));

        var error = await page.SignInFailsAsync(email);
        Assert.Contains("incorrect", error, StringComparison.Ordinal);
    });

    [Fact]
    public Task A_wrong_password_does_not_delete_the_account() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var email = await page.NewAccountAsync(Host, "keep");
        await page.GotoAsync("/me");

        await page.GetByTestId("delete-password").FillAsync("not-my-password-1");
        await page.GetByTestId("delete-confirm").CheckAsync();
        await page.GetByTestId("delete-account").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();

        await Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        Assert.True(await Host.UserExistsAsync(email));
        await page.SignOutAsync();
        await page.SignInAsync(email);
    });
}
