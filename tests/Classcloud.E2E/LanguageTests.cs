using Classcloud.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

public sealed class LanguageTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_language_switch_changes_the_pages_and_the_choice_follows_the_user() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "en-US");
        var email = await page.NewAccountAsync(Host, "lang");
        await page.GotoAsync("/me");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My page", Level = 1 })).ToBeVisibleAsync();

        await page.GetByTestId("language-switch").ClickAsync();

        await Expect(page).ToHaveURLAsync(Host.Url("/me"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "마이페이지", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signout")).ToHaveTextAsync("로그아웃");
        await Expect(page.GetByTestId("language-switch")).ToHaveTextAsync("English");
        // Kept as an artifact: Korean must render as Hangul, not as boxes (fonts-noto-cjk).
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("language-ko-my-page.png") });

        // Signed out and in again in the same browser: still Korean.
        await page.SignOutAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await page.SignInAsync(email);
        await page.GotoAsync("/me");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "마이페이지", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("me-language")).ToHaveValueAsync("ko");

        // A different browser that asks for English: English until the user signs in, then their choice.
        var elsewhere = await session.NewPageAsync(locale: "en-US");
        await elsewhere.GotoAsync("/signin");
        await Expect(elsewhere.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await elsewhere.SignInAsync(email);
        await elsewhere.GotoAsync("/me");
        await Expect(elsewhere.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "마이페이지", Level = 1 })).ToBeVisibleAsync();

        // And back to English.
        await elsewhere.GetByTestId("language-switch").ClickAsync();
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "My page", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal("en", (await elsewhere.ApiMeAsync(Host)).GetProperty("culture").GetString());
    });

    [Fact]
    public Task A_visitor_can_switch_language_before_signing_in() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "en-US");
        await page.GotoAsync("/signin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();

        await page.GetByTestId("language-switch").ClickAsync();

        await Expect(page).ToHaveURLAsync(Host.Url("/signin"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "로그인", Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Classcloud에 오신 것을 환영합니다" })).ToBeVisibleAsync();
    });
}
