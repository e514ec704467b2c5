using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

public sealed class SignUpFlowTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Sign_up_then_open_the_mailed_link_then_sign_in_and_My_page_shows_the_account() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var email = TestAccounts.NewEmail("signup");

        // From the home page, as a visitor would.
        await page.GotoAsync("/");
        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Sign up", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Host.Url("/signup"));
        await page.SignUpAsync(email, name: "Park Jisoo", nickname: "jisoo");

        // Not confirmed yet: sign-in is refused.
        await page.SignInFailsAsync(email);

        await page.ConfirmEmailAsync(Host, email);
        await page.GetByTestId("verify-signin").ClickAsync();
        await Expect(page).ToHaveURLAsync(Host.Url("/signin"));
        await page.GetByTestId("signin-email").FillAsync(email);
        await page.GetByTestId("signin-password").FillAsync(Flows.Password);
        await page.GetByTestId("signin-submit").ClickAsync();

        await Expect(page.GetByTestId("my-page")).ToHaveTextAsync("jisoo");
        await page.GetByTestId("my-page").ClickAsync();
        await Expect(page).ToHaveURLAsync(Host.Url("/me"));
        await Expect(page.GetByTestId("me-email")).ToHaveTextAsync(email);
        await Expect(page.GetByTestId("me-name")).ToHaveTextAsync("Park Jisoo");
        await Expect(page.GetByTestId("me-nickname")).ToHaveValueAsync("jisoo");
        var me = await page.ApiMeAsync(Host);
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("student", me.GetProperty("role").GetString());
        Assert.Equal("active", me.GetProperty("status").GetString());
    });

    [Fact]
    public Task A_mailed_link_works_only_once() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var email = TestAccounts.NewEmail("once");
        await page.SignUpAsync(email);
        await page.ConfirmEmailAsync(Host, email);

        await page.GotoAsync(await Host.MailedLinkAsync(email, "/verify"));
        await page.GetByTestId("verify-submit").ClickAsync();

        await Expect(page.GetByTestId("verify-failure")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("verify-success")).ToHaveCountAsync(0);
    });
}
