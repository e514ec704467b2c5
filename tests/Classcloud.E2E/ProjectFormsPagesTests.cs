using System.Security.Cryptography;
using System.Text;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Issue 14's project page forms in a browser: the Git source (a mistake shown beside its field, a repository on a
/// loopback Git host accepted, a private one with its deploy token that is never shown again), the push webhook
/// (URL and secret shown once with copy buttons, a new secret only after the dialog; each proven by a signed
/// call the receiver accepts or refuses) and scaling (errors beside the fields, then saved), at a laptop's and a
/// phone's width, in English and Korean.
/// </summary>
public sealed class ProjectFormsPagesTests(GitBrowserHost gitHost, BrowserFixture browser)
    : BrowserTest(gitHost, browser), IClassFixture<GitBrowserHost>, IClassFixture<BrowserFixture>
{
    FakeGitServer Server => ((GitBrowserHost)Host).Git;

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public Task Git_webhook_and_scaling_forms(int width, int height) => InBrowserAsync(async session =>
    {
        // Signed up at a laptop's width (the account link hides in the phone's menu), then the window the test is for.
        var page = await session.NewPageAsync(locale: "en-US", width: 1366, height: 900);
        await page.NewAccountAsync(Host, $"pf{width}");
        await page.SetViewportSizeAsync(width, height);
        var id = await NewProjectAsync(page);
        var shot = $"projects-forms-{width}";

        // A mistake stays in the form, named beside the field.
        await page.GetByTestId("git-url").FillAsync("ssh://git@example.com/a/b.git");
        await page.GetByTestId("git-submit").ClickAsync();
        await Expect(page.GetByTestId("git-error-url")).ToContainTextAsync("Only https");
        await Expect(page.GetByTestId("git-url")).ToHaveValueAsync("ssh://git@example.com/a/b.git");
        await Expect(page.GetByTestId("git-url")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor($"{shot}-git-error.png"), FullPage = true });

        // A repository: the webhook appears with its secret, shown this once.
        var repo = $"pages-{Guid.NewGuid():N}"[..14];
        await Server.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "<h1>git</h1>" });
        await page.GetByTestId("git-url").FillAsync(Server.Url(repo));
        await page.GetByTestId("git-branch").FillAsync("main");
        await page.GetByTestId("git-submit").ClickAsync();
        await Expect(page.GetByTestId("hook-secret")).ToBeVisibleAsync();
        var secret = await page.GetByTestId("hook-secret").InputValueAsync();
        Assert.Matches("^[0-9a-f]{64}$", secret);
        await Expect(page.GetByTestId("hook-url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"/api/v1/hooks/git/{id}$"));
        await Expect(page.GetByTestId("hook-url-copy")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hook-secret-copy")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor($"{shot}-hook-secret.png"), FullPage = true });
        Assert.Equal(200, await PingAsync(id, secret));

        // Not shown again.
        await page.GotoAsync($"/projects/{id}");
        await Expect(page.GetByTestId("hook-secret-state")).ToContainTextAsync("A secret is set");
        await Expect(page.GetByTestId("hook-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(page.GetByTestId("git-current")).ToContainTextAsync("Deploys main");

        // A new secret only after the dialog; the old one then fails.
        var dialog = page.Locator("#cc-confirm");
        await page.GetByTestId("hook-rotate").ClickAsync();
        await Expect(dialog).ToContainTextAsync("stops working at once");
        // Bootstrap ignores a hide while the dialog is still fading in; it takes the focus once it has.
        await Expect(dialog).ToBeFocusedAsync();
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(200, await PingAsync(id, secret));
        await page.GetByTestId("hook-rotate").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("hook-secret")).ToBeVisibleAsync();
        var renewed = await page.GetByTestId("hook-secret").InputValueAsync();
        Assert.NotEqual(secret, renewed);
        Assert.Equal(401, await PingAsync(id, secret));
        Assert.Equal(200, await PingAsync(id, renewed));

        // A private repository with its deploy token: kept encrypted, never sent back to the browser.
        var token = $"{repo}-token-7342";
        await Server.CreateAsync(repo + "-p", "trunk", new Dictionary<string, string> { ["index.html"] = "private" }, token: token);
        await page.GotoAsync($"/projects/{id}");
        await page.GetByTestId("git-url").FillAsync(Server.Url(repo + "-p"));
        await page.GetByTestId("git-branch").FillAsync("trunk");
        await page.GetByTestId("git-key").FillAsync(token);
        await page.GetByTestId("git-submit").ClickAsync();
        await Expect(dialog).ToContainTextAsync("instead of the current source");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToContainTextAsync("Repository set: branch trunk");
        await Expect(page.GetByTestId("git-current")).ToContainTextAsync("deploy token kept (hidden)");
        await Expect(page.GetByTestId("git-key")).ToHaveValueAsync("");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        var stored = await Host.WithDbAsync(db => db.Projects.Where(p => p.Id == id).Select(p => p.GitDeployKey).SingleAsync());
        Assert.DoesNotContain(token, stored ?? "", StringComparison.Ordinal);
        Assert.NotNull(stored);

        // Scaling: every mistake beside its field at once, the values typed kept; then saved.
        await Expect(page.GetByTestId("scaling-now")).ToContainTextAsync("Running now: 0 of at most");
        await page.GetByTestId("scale-maxInstances").FillAsync("0");
        await page.GetByTestId("scale-targetConcurrency").FillAsync("");
        await page.GetByTestId("scale-idleMinutes").FillAsync("5000");
        await page.GetByTestId("scale-submit").ClickAsync();
        await Expect(page.GetByTestId("scale-error-targetConcurrency")).ToContainTextAsync("whole number");
        await Expect(page.GetByTestId("scale-error-targetConcurrency")).ToBeVisibleAsync();
        await page.GetByTestId("scale-maxInstances").FillAsync("0");
        await page.GetByTestId("scale-targetConcurrency").FillAsync("20");
        await page.GetByTestId("scale-submit").ClickAsync();
        await Expect(page.GetByTestId("scale-error-maxInstances")).ToContainTextAsync("1 to 10");
        await Expect(page.GetByTestId("scale-error-idleMinutes")).ToContainTextAsync("1 to 1440");
        await Expect(page.GetByTestId("scale-idleMinutes")).ToHaveValueAsync("5000");
        await Expect(page.GetByTestId("alert-error")).ToContainTextAsync("Correct the fields marked below.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor($"{shot}-scaling-error.png"), FullPage = true });
        await page.GetByTestId("scale-minInstances").FillAsync("1");
        await page.GetByTestId("scale-maxInstances").FillAsync("3");
        await page.GetByTestId("scale-idleMinutes").FillAsync("7");
        await page.GetByTestId("scale-submit").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToContainTextAsync("Saved.");
        await Expect(page.GetByTestId("scaling-now")).ToContainTextAsync("of at most 3 instances");
        var scaling = await Host.WithDbAsync(db => db.Projects.Where(p => p.Id == id).Select(p => new { p.MinInstances, p.MaxInstances, p.TargetConcurrency, p.IdleMinutes }).SingleAsync());
        Assert.Equal(new { MinInstances = 1, MaxInstances = 3, TargetConcurrency = 20, IdleMinutes = 7 }, scaling);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor($"{shot}.png"), FullPage = true });
    });

    [Fact]
    public Task The_forms_in_Korean() => InBrowserAsync(async session =>
    {
        var page = await session.NewPageAsync(locale: "ko-KR", width: 1366, height: 900);
        await page.NewAccountAsync(Host, "pfko");
        var id = await NewProjectAsync(page);
        await page.GetByTestId("scale-maxInstances").FillAsync("11");
        await page.GetByTestId("scale-submit").ClickAsync();
        await Expect(page.GetByTestId("scale-error-maxInstances")).ToContainTextAsync("최대 인스턴스: 1–10");
        await Expect(page.Locator("label[for=git-url]")).ToHaveTextAsync("저장소 URL (https)");
        var repo = $"pko-{Guid.NewGuid():N}"[..12];
        await Server.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "ko" });
        await page.GetByTestId("git-url").FillAsync(Server.Url(repo));
        await page.GetByTestId("git-submit").ClickAsync();
        await Expect(page.GetByTestId("hook-secret-shown")).ToContainTextAsync("다시 표시되지 않습니다");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("projects-forms-ko.png"), FullPage = true });
        Assert.True(id > 0);
    });

    async Task<long> NewProjectAsync(IPage page)
    {
        var name = $"f-{Guid.NewGuid():N}"[..14];
        await page.GotoAsync("/projects/new");
        await page.GetByTestId("project-name").FillAsync(name);
        await page.GetByTestId("project-submit").ClickAsync();
        await Expect(page.GetByTestId("project-url")).ToContainTextAsync(name);
        return await Host.WithDbAsync(db => db.Projects.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
    }

    /// <summary>GitHub's ping, signed with <paramref name="secret"/>: 200 when it is the project's secret, 401 when not.</summary>
    async Task<int> PingAsync(long id, string secret)
    {
        using var client = new HttpClient { BaseAddress = Host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hooks/git/{id}") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "{}"u8)));
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
