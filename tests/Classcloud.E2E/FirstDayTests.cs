using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// A student's first day in a real browser on the real engine (issue 17, "Done when"): sign up → home → apply to a
/// course → the teacher accepts from My news → the course workspace made and started by its one button → Save from
/// the session's toolbar, through the confirmation, to "saved as snapshot #1". In Korean on a phone (390×844) and in
/// English on a laptop (1366×900). Screenshots go to docs/images with CLASSCLOUD_UPDATE_DOCS_IMAGES=1.
/// </summary>
public sealed class FirstDayTests(EngineBrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<EngineBrowserHost>, IClassFixture<BrowserFixture>
{
    new EngineBrowserHost Host => host;

    public sealed record Words(string Running, string Saved, string Stopped);

    static readonly Dictionary<string, Words> Texts = new()
    {
        ["en-US"] = new("running", "Saved as snapshot #1.", "The session has ended."),
        ["ko-KR"] = new("실행 중", "스냅샷 #1(으)로 저장했습니다.", "세션이 끝났습니다."),
    };

    [Theory]
    [InlineData("ko-KR", 390, 844)]
    [InlineData("en-US", 1366, 900)]
    public Task A_student_signs_up_joins_a_course_starts_its_workspace_and_saves_it_from_the_toolbar(string locale, int width, int height) =>
        InBrowserAsync(async session =>
        {
            var words = Texts[locale];
            var tag = $"{locale[..2]}-{width}";
            var (teacher, course, environment) = await CourseWithEnvironmentAsync($"Systems {tag} {Guid.NewGuid().ToString("N")[..6]}");

            // Sign up, confirm the mailed link, sign in: the home says what to do next.
            var page = await session.NewPageAsync(locale: locale, width: width, height: height);
            var email = TestAccounts.NewEmail("firstday");
            await page.SignUpAsync(email, name: "Lee Seoyeon", nickname: "seoyeon");
            await page.ConfirmEmailAsync(Host, email);
            await page.GotoAsync("/signin");
            await page.GetByTestId("signin-email").FillAsync(email);
            await page.GetByTestId("signin-password").FillAsync(Flows.Password);
            await page.GetByTestId("signin-submit").ClickAsync();
            await Expect(page.GetByTestId("home-title")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("home-courses-empty")).ToBeVisibleAsync();

            // Apply from the course finder the home points to.
            await page.GetByTestId("home-find-courses").ClickAsync();
            await page.GetByTestId("course-search").FillAsync(course.Name);
            await page.GetByTestId("course-search").PressAsync("Enter");
            await page.GetByTestId($"apply-{course.Id}").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("alert-message")).ToBeVisibleAsync();

            // The teacher finds the application in My news and accepts it there.
            var educator = await session.NewPageAsync(width: 1366, height: 900);
            await educator.SignInAsync(teacher.Email);
            await Expect(educator.GetByTestId("bell-count")).ToBeVisibleAsync();
            await educator.GetByTestId("bell").ClickAsync();
            await educator.GetByTestId("news").GetByText(new Regex($"applied to {Regex.Escape(course.Name)}")).First.ClickAsync();
            await Expect(educator).ToHaveURLAsync(new Regex($"/courses/{course.Id}/applications$"));
            await educator.Locator("[data-testid^='accept-']").First.ClickAsync();
            await Expect(educator.GetByTestId("alert-message")).ToBeVisibleAsync();

            // Home lists the course; its page offers the environment, and one click makes and starts the workspace.
            await page.GotoAsync("/");
            await page.GetByTestId($"home-course-{course.Id}").GetByRole(AriaRole.Link, new() { Name = course.Name }).ClickAsync();
            await page.GetByTestId($"environment-create-{environment}").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/workspaces/\d+$"));
            var id = long.Parse(Regex.Match(page.Url, @"/workspaces/(\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Expect(page.GetByTestId($"state-{id}")).ToHaveTextAsync(words.Running, new() { Timeout = 90_000 });
            await page.GetByTestId($"connect-{id}").ClickAsync();
            await Expect(page.Locator(".xterm")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-status]")).ToHaveClassAsync(new Regex("text-bg-success"), new() { Timeout = 30_000 });
            // Something of the student's in home, so the snapshot holds work, not just an image.
            await Host.ShAsync(Host.Services.GetRequiredService<WorkspaceNames>().Workload(id), "echo 'print(42)' > /home/classcloud/first.py");

            // Save from the toolbar: it asks first (the session will end), then stops, saves and says which snapshot.
            await page.GetByTestId("session-save").ClickAsync();
            await Expect(page.Locator("#cc-confirm")).ToBeVisibleAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            var job = page.GetByTestId("session-job");
            await Expect(job).ToBeVisibleAsync();
            await Expect(job).ToContainTextAsync(words.Saved, new() { Timeout = 180_000 });
            await Expect(job).ToHaveAttributeAsync("data-kind", "success");
            await Expect(page.Locator("[data-status]")).ToHaveTextAsync(words.Stopped);
            await Expect(page.GetByTestId("session-start-again")).ToBeVisibleAsync();
            var snapshot = await Host.WithDbAsync(db => db.WorkspaceSnapshots.SingleAsync(s => s.WorkspaceId == id));
            Assert.Equal(1, snapshot.Number);
            await Artifacts.SaveAsync(page, $"first-day-saved-{tag}.png");
        });

    [Fact]
    public Task The_toolbar_uploads_downloads_and_stops_and_a_watcher_gets_none_of_it() => InBrowserAsync(async session =>
    {
        var owner = await Host.UserAsync(TestRole.Student);
        var guest = await Host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "Toolbar", description = "", kind = "terminal", visibility = "public", guestAccess = "view", start = true })))
            .GetProperty("id").GetInt64();
        await StateAsync(owner, id, "running");
        var workload = Host.Services.GetRequiredService<WorkspaceNames>().Workload(id);

        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync(owner.Email);
        await page.GotoAsync($"/workspaces/{id}/connect");
        await Expect(page.Locator("[data-status]")).ToHaveClassAsync(new Regex("text-bg-success"), new() { Timeout = 30_000 });

        // Upload through the file picker: the file lands in home, the workspace user's.
        await page.GetByTestId("session-upload-input").SetInputFilesAsync(new FilePayload
        {
            Name = "hello.py", MimeType = "text/x-python", Buffer = System.Text.Encoding.UTF8.GetBytes("print('hello')\n"),
        });
        await Expect(page.GetByTestId("session-job")).ToContainTextAsync("~/hello.py");
        Assert.Equal("1000 print('hello')\n", await Host.ShAsync(workload, "printf '%s ' $(stat -c %u /home/classcloud/hello.py); cat /home/classcloud/hello.py"));

        // Download asks for a path and hands the bytes to the browser; a missing one is said in the bar.
        await page.GetByTestId("session-download").ClickAsync();
        await page.GetByTestId("session-download-path").FillAsync("nothing-here.txt");
        await page.GetByTestId("session-download-submit").ClickAsync();
        await Expect(page.GetByTestId("session-job")).ToContainTextAsync("There is no file or folder ~/nothing-here.txt");
        await page.GetByTestId("session-download-path").FillAsync("hello.py");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("session-download-submit").ClickAsync());
        Assert.Equal("hello.py", download.SuggestedFilename);
        Assert.Equal("print('hello')\n", await File.ReadAllTextAsync((await download.PathAsync())!));
        await Artifacts.SaveAsync(page, "session-toolbar.png");

        // A watcher's bar has none of the four.
        var watcher = await session.NewPageAsync(width: 1366, height: 900);
        await watcher.SignInAsync(guest.Email);
        await watcher.GotoAsync($"/workspaces/{id}/connect");
        await Expect(watcher.GetByText("Watching (view only)")).ToBeVisibleAsync();
        foreach (var control in new[] { "session-save", "session-stop", "session-upload", "session-download" })
        {
            await Expect(watcher.GetByTestId(control)).ToHaveCountAsync(0);
        }

        // Stop asks first; Cancel sends nothing, Confirm stops it (one request in all) and the bar says the session ended.
        var stops = 0;
        page.Request += (_, request) => stops += request.Method == "POST" && request.Url.EndsWith($"/api/v1/workspaces/{id}/stop", StringComparison.Ordinal) ? 1 : 0;
        await page.GetByTestId("session-stop").ClickAsync();
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Expect(page.Locator("#cc-confirm")).ToBeHiddenAsync();
        await page.GetByTestId("session-stop").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Expect(page.GetByTestId("session-job")).ToContainTextAsync("The workspace is stopped", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-status]")).ToHaveTextAsync("The session has ended.");
        await StateAsync(owner, id, "stopped");
        Assert.Equal(1, stops);
        // What needs a running workspace is off now; Save still works on a stopped one.
        foreach (var control in new[] { "session-stop", "session-upload", "session-download" })
        {
            await Expect(page.GetByTestId(control)).ToBeDisabledAsync();
        }
        await Expect(page.GetByTestId("session-save")).ToBeEnabledAsync();

        // Start again brings the session back in the same page.
        await page.GetByTestId("session-start-again").ClickAsync();
        await Expect(page.Locator("[data-status]")).ToHaveTextAsync("Connected to the workspace", new() { Timeout = 60_000 });
    });

    static async Task StateAsync(TestUser user, long id, string state)
    {
        var last = "";
        for (var i = 0; i < 600 && last != state; i++)
        {
            last = (await Api.OkAsync(user.Client.GetAsync($"/api/v1/workspaces/{id}"))).GetProperty("state").GetString()!;
            if (last != state)
            {
                await Task.Delay(200);
            }
        }
        Assert.Equal(state, last);
    }

    sealed record CourseRef(long Id, string Name);

    /// <summary>An approved educator's course with an environment published from a snapshot whose image is the test image.</summary>
    async Task<(TestUser Teacher, CourseRef Course, long Environment)> CourseWithEnvironmentAsync(string name)
    {
        var teacher = await Host.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(teacher.Client.PostAsJsonAsync("/api/v1/courses", new { name, description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var snapshot = await WorkspaceRows.SnapshotAsync(Host, await WorkspaceRows.AddAsync(Host, teacher.Id, name: "Lab image"));
        await Host.WithDbAsync(db => db.WorkspaceSnapshots.Where(s => s.Id == snapshot)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Image, EngineBrowserHost.Image)));
        var environment = (await Api.CreatedAsync(teacher.Client.PostAsJsonAsync($"/api/v1/courses/{course}/environments",
            new { name = "Lab", description = "", snapshotId = snapshot }))).GetProperty("id").GetInt64();
        return (teacher, new CourseRef(course, name), environment);
    }
}
