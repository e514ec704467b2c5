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
            // The site-wide Content-Security-Policy (issue 15) must not have blocked anything a page does.
            Assert.True(session.PolicyViolations.IsEmpty, "Content-Security-Policy violations:\n" + string.Join("\n", session.PolicyViolations));
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

    /// <summary>What the browser refused because of the site's Content-Security-Policy, as its console reported it.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> PolicyViolations { get; } = new();

    /// <summary>A page in a new context (its own cookies) whose browser asks for <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                PolicyViolations.Enqueue($"{message.Location}: {message.Text}");
            }
        };
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
