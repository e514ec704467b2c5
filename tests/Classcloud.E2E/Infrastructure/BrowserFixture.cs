using Microsoft.Playwright;

namespace Classcloud.E2E.Infrastructure;

/// <summary>
/// One headless Chromium per test class: Debian's chromium (CLASSCLOUD_CHROMIUM, default
/// /usr/bin/chromium) driven by the Playwright driver the NuGet package ships. Nothing is
/// downloaded; a missing browser is a failure with a clear message, never a skip (DESIGN.md §6).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CLASSCLOUD_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}. Run the tests through ./test.sh, which installs Debian's chromium, or set CLASSCLOUD_CHROMIUM.");
        }
        // A shared machine with two cores: give slow pages time before an expectation fails.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The tests run as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}
