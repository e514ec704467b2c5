using System.Net.Http.Json;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Assignments;
using Classcloud.Web.Controller;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Issue 17 in the browser (no engine: workspaces and workloads are rows): the signed-in home at 1366×900 in English
/// and at 390×844 in Korean with nothing wider than the screen, an educator awaiting approval told so, the course's
/// workspaces tab, and the administrator's overview and workloads table. Screenshots go to docs/images too.
/// </summary>
public sealed class DailyUsePagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    sealed record Day(TestUser Educator, TestUser Student, long Course, long Running, long Stopped, long Assignment);

    [Fact]
    public Task A_student_home_at_1366_in_English_connects_and_reading_news_clears_the_bell() => InBrowserAsync(async session =>
    {
        var day = await DayAsync();
        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync(day.Student.Email);

        await page.GotoAsync("/");

        await Expect(page.GetByTestId("home-title")).ToContainTextAsync("Hello");
        await Expect(page.GetByTestId($"home-connect-{day.Running}")).ToHaveAttributeAsync("href", $"/workspaces/{day.Running}/connect");
        await Expect(page.GetByTestId($"home-start-{day.Stopped}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"home-due-{day.Assignment}")).ToContainTextAsync("Linked lists");
        await Expect(page.GetByTestId($"home-course-{day.Course}")).ToContainTextAsync("Data structures");
        await Expect(page.GetByTestId("home-news")).ToContainTextAsync("was accepted");
        await AssertFitsAsync(page);
        await SaveAsync(page, "home-en-1366.png");

        // One click starts the stopped one and brings the reader back home.
        await page.GetByTestId($"home-start-{day.Stopped}").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToHaveTextAsync("Starting the workspace.");
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);

        await Expect(page.GetByTestId("bell-count")).ToBeVisibleAsync();
        await page.GetByTestId("bell").ClickAsync();
        await Expect(page.GetByTestId("news")).ToContainTextAsync("was accepted");
        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_student_home_at_390_in_Korean_fits_the_phone() => InBrowserAsync(async session =>
    {
        var day = await DayAsync();
        var page = await session.NewPageAsync(locale: "ko-KR", width: 390, height: 844);
        await SignInOnPhoneAsync(page, day.Student.Email);

        await page.GotoAsync("/");

        await Expect(page.GetByTestId("home-workspaces").GetByRole(AriaRole.Heading)).ToHaveTextAsync("내 워크스페이스");
        await Expect(page.GetByTestId("home-courses").GetByRole(AriaRole.Heading)).ToHaveTextAsync("나의 강좌");
        await Expect(page.GetByTestId($"home-connect-{day.Running}")).ToHaveTextAsync("접속하기");
        await Expect(page.GetByTestId($"home-due-{day.Assignment}")).ToContainTextAsync("아직 제출 안 함");
        await AssertFitsAsync(page);
        await SaveAsync(page, "home-ko-390.png");

        var pending = await session.NewPageAsync(locale: "ko-KR", width: 390, height: 844);
        await SignInOnPhoneAsync(pending, (await Host.UserAsync(TestRole.PendingEducator)).Email);
        await pending.GotoAsync("/");
        await Expect(pending.GetByTestId("awaiting-approval")).ToContainTextAsync("승인을 기다리고 있습니다");
        await Expect(pending.GetByTestId("home-find-courses")).ToHaveCountAsync(0);
        await AssertFitsAsync(pending);
        await SaveAsync(pending, "home-pending-educator-ko-390.png");
    });

    [Fact]
    public Task An_educator_finds_the_students_workspaces_and_environments_from_the_course_tabs() => InBrowserAsync(async session =>
    {
        var day = await DayAsync();
        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync(day.Educator.Email);
        await page.GotoAsync($"/courses/{day.Course}");

        await page.GetByTestId("course-tab-workspaces").ClickAsync();

        await Expect(page.GetByTestId("course-student-workspaces")).ToContainTextAsync("Tree practice");
        await Expect(page.GetByTestId($"course-workspace-watch-{day.Running}")).ToHaveTextAsync("Watch");
        await SaveAsync(page, "course-workspaces.png");
        await page.GetByTestId("course-tab-environments").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/courses/{day.Course}/environments$"));
    });

    [Fact]
    public Task The_administrator_lands_on_the_overview_and_the_workloads_table_fits_1366() => InBrowserAsync(async session =>
    {
        await Host.UserAsync(TestRole.PendingEducator);
        var running = await WorkloadRowAsync(WorkloadStates.Running);
        var stopped = await WorkloadRowAsync(WorkloadStates.Stopped);
        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync("admin@localhost", Host.AdminPassword);

        await page.GetByTestId("nav-admin").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
        await Expect(page.GetByTestId("overview-pending")).Not.ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*0\b"));
        await Expect(page.GetByTestId("overview-queue")).ToBeVisibleAsync();
        await Expect(page.Locator("link[rel=icon]")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/favicon.svg"));
        await AssertFitsAsync(page);
        await SaveAsync(page, "admin-overview.png");

        await page.GotoAsync("/admin/workloads");
        await Expect(page.GetByTestId($"restart-{running}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"restart-{stopped}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"scale-{stopped}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"start-{stopped}")).ToBeVisibleAsync();
        // The table needs no sideways scrolling at 1366 px.
        var overflow = await page.GetByTestId("workloads-table").EvaluateAsync<int>("t => t.parentElement.scrollWidth - t.parentElement.clientWidth");
        Assert.True(overflow <= 0, $"The workloads table is {overflow} px wider than its card at 1366 px");
        await SaveAsync(page, "admin-workloads-1366.png");

        await page.GotoAsync("/admin/audit");
        await Expect(page.GetByTestId("audit-table")).ToContainTextAsync("Signed in");
    });

    /// <summary>An educator's course with the student accepted, their running and stopped course workspaces, and an assignment due in two days.</summary>
    async Task<Day> DayAsync()
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Data structures", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        var running = await WorkspaceRows.AddAsync(Host, student.Id, WorkspaceState.Running, courseId: course, name: "Tree practice");
        var stopped = await WorkspaceRows.AddAsync(Host, student.Id, WorkspaceState.Stopped, kind: WorkspaceKind.Desktop, name: "Desktop");
        var assignment = await Host.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var a = new Assignment
            {
                CourseId = course, Slug = "linked-lists", Title = "Linked lists", OpensAt = now.AddDays(-1), DueAt = now.AddDays(2),
                CreatedById = educator.Id, CreatedAt = now, UpdatedAt = now,
            };
            db.Assignments.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        return new Day(educator, student, course, running, stopped, assignment);
    }

    Task<string> WorkloadRowAsync(string desired) =>
        Host.WithDbAsync(async db =>
        {
            var id = $"cc-e2e-{Guid.NewGuid():N}"[..20];
            db.Workloads.Add(new Workload
            {
                Id = id, Kind = "workspace", DesiredState = desired, ObservedState = desired, Tenant = "t-e2e",
                SpecJson = new WorkloadDefinition { Image = "127.0.0.1:5000/classcloud/workspace-terminal:1" }.ToJson(), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            return id;
        });

    /// <summary>Signs in with a desktop-wide window (the sign-in flow checks the navigation bar, folded on a phone), then back to the phone's size.</summary>
    static async Task SignInOnPhoneAsync(IPage page, string email)
    {
        var phone = page.ViewportSize!;
        await page.SetViewportSizeAsync(1280, 900);
        await page.SignInAsync(email);
        await page.SetViewportSizeAsync(phone.Width, phone.Height);
    }

    /// <summary>Nothing on the page is wider than the window (no sideways scrolling on a phone).</summary>
    static async Task AssertFitsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow} px wider than the window");
    }

    /// <summary>
    /// Into the test results folder; with CLASSCLOUD_UPDATE_DOCS_IMAGES=1 also into docs/images (the pictures docs/daily-use.md
    /// shows), so an ordinary test run leaves the working tree as it was.
    /// </summary>
    static async Task SaveAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor(name), FullPage = true });
        CopyToDocs(name);
    }

    /// <summary>With CLASSCLOUD_UPDATE_DOCS_IMAGES=1, copies a screenshot from the test results into docs/images.</summary>
    internal static void CopyToDocs(string name)
    {
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_UPDATE_DOCS_IMAGES") != "1")
        {
            return;
        }
        var docs = Path.Combine(Artifacts.RepositoryRoot, "docs", "images");
        Directory.CreateDirectory(docs);
        File.Copy(Artifacts.PathFor(name), Path.Combine(docs, name), overwrite: true);
    }
}
