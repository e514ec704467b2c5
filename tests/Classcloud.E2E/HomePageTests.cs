using Classcloud.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

public sealed class HomePageTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Home_page_loads_with_its_styles_and_offers_sign_in_and_sign_up() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();
        var broken = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                broken.Add($"{response.Status} {response.Url}");
            }
        };

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        await Expect(page).ToHaveTitleAsync("Home · Classcloud");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Classcloud" })).ToBeVisibleAsync();
        await Expect(page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToHaveAttributeAsync("href", "/signin");
        await Expect(page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Sign up", Exact = true })).ToHaveAttributeAsync("href", "/signup");
        // Bootstrap and site.css came from wwwroot (npm at build time): the navigation bar is laid out as flex, not a bare list.
        Assert.Equal("flex", await page.Locator("nav.navbar").EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.Empty(broken);
    });

    [Fact]
    public Task A_Korean_browser_gets_the_home_page_in_Korean() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "ko-KR");

        await page.GotoAsync("/");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Classcloud에 오신 것을 환영합니다" })).ToBeVisibleAsync();
        await Expect(page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "로그인", Exact = true })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Health_endpoints_answer_in_the_browser() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync();

        var healthz = await page.GotoAsync("/healthz");
        Assert.Equal(200, healthz!.Status);
        Assert.Equal("ok", (await healthz.JsonAsync())?.GetProperty("status").GetString());

        var readyz = await page.GotoAsync("/readyz");
        Assert.Equal(200, readyz!.Status);
        Assert.Equal("ok", (await readyz.JsonAsync())?.GetProperty("checks").GetProperty("database").GetString());
    });
}
