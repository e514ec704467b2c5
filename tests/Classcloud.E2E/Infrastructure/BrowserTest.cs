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
        catch (Exception ex)
        {
            await session.ScreenshotAllAsync($"{GetType().Name}.{test}.failed");
            // What the browser saw (script errors, failed requests, WebSocket closes) travels with the failure, so a CI log says why.
            throw new BrowserTestException($"{ex.Message}\n--- browser events ---\n{session.Events()}", ex);
        }
    }
}

/// <summary>A browser test's failure, with the browser's own events appended to the message.</summary>
public sealed class BrowserTestException(string message, Exception inner) : Exception(message, inner);

/// <summary>The browser contexts of one test (one per person taking part, e.g. an administrator and an educator).</summary>
public sealed class BrowserSession(IBrowser browser, Uri address) : IAsyncDisposable
{
    const int MaxEvents = 200;

    readonly List<IBrowserContext> contexts = [];
    readonly List<string> events = [];

    /// <summary>The last events of every page (errors, failed requests, WebSocket closes), oldest first.</summary>
    public string Events()
    {
        lock (events)
        {
            return events.Count == 0 ? "(none)" : string.Join('\n', events);
        }
    }

    void Note(IPage page, string text)
    {
        lock (events)
        {
            if (events.Count == MaxEvents)
            {
                events.RemoveAt(0);
            }
            events.Add($"{DateTime.UtcNow:HH:mm:ss.fff} [{page.Url}] {text}");
        }
    }

    void Watch(IPage page)
    {
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                Note(page, $"console.{m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => Note(page, $"page error: {e}");
        page.RequestFailed += (_, r) => Note(page, $"request failed: {r.Method} {r.Url} {r.Failure}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                Note(page, $"response {r.Status}: {r.Request.Method} {r.Url}");
            }
        };
        page.WebSocket += (_, ws) =>
        {
            Note(page, $"websocket open: {ws.Url}");
            ws.SocketError += (_, e) => Note(page, $"websocket error: {ws.Url} {e}");
            ws.Close += (_, _) => Note(page, $"websocket closed: {ws.Url}");
        };
    }

    /// <summary>What the browser refused because of the site's Content-Security-Policy, as its console reported it.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> PolicyViolations { get; } = new();

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
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                PolicyViolations.Enqueue($"{message.Location}: {message.Text}");
            }
        };
        contexts.Add(context);
        var page = await context.NewPageAsync();
        Watch(page);
        return page;
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
