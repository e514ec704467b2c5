using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Classcloud.E2E.Infrastructure;

/// <summary>
/// Base of the browser tests: the class gets one host and one browser; each test runs in its own
/// browser contexts (fresh cookies) and leaves screenshots of its pages when it fails.
/// </summary>
public abstract class BrowserTest(BrowserHost host, BrowserFixture browser)
{
    protected BrowserHost Host => host;

    /// <summary>Runs <paramref name="body"/>; if it throws, every page it opened is saved as a PNG first.</summary>
    protected async Task InBrowserAsync(Func<BrowserSession, Task> body, [CallerMemberName] string test = "")
    {
        await using var session = new BrowserSession(browser.Browser, host.Address);
        try
        {
            await body(session);
        }
        catch
        {
            await session.ScreenshotAllAsync($"{GetType().Name}.{test}.failed");
            throw;
        }
    }
}

/// <summary>The browser contexts of one test (one per person taking part, e.g. an administrator and an educator).</summary>
public sealed class BrowserSession(IBrowser browser, Uri address) : IAsyncDisposable
{
    readonly List<IBrowserContext> contexts = [];

    /// <summary>
    /// A page in a new context (its own cookies) whose browser asks for <paramref name="locale"/>, in a window of
    /// <paramref name="width"/>×<paramref name="height"/> (390×844: a phone, with touch).
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US", int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            HasTouch = width < 600,
        });
        context.SetDefaultTimeout(30_000);
        contexts.Add(context);
        return await context.NewPageAsync();
    }

    public async Task ScreenshotAllAsync(string name)
    {
        var n = 0;
        foreach (var page in contexts.SelectMany(c => c.Pages))
        {
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor($"{name}.{++n}.png"), FullPage = true });
            }
            catch (PlaywrightException)
            {
                // A crashed or closed page has nothing to show; the test's own error is what matters.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }
    }
}
