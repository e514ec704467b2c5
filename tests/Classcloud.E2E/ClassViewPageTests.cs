using System.Net.Http.Json;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Issue 17's "teacher's class view of five running students": five students start their course terminals on the
/// real engine and type into them; the educator's grid shows each terminal's own screen text (read from the shared
/// tmux session), changes when a student types more, and a card opens the read-only watch page. At 1366×900 in
/// English and 390×844 in Korean (one column, nothing wider than the phone). Screenshots go to docs/images with
/// CLASSCLOUD_UPDATE_DOCS_IMAGES=1.
/// </summary>
public sealed class ClassViewPageTests(EngineBrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<EngineBrowserHost>, IClassFixture<BrowserFixture>
{
    new EngineBrowserHost Host => host;

    WorkspaceNames Names => Host.Services.GetRequiredService<WorkspaceNames>();

    [Fact]
    public Task The_teacher_sees_five_running_students_screens_live_and_clicks_through_to_watch() => InBrowserAsync(async session =>
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Python 1", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var students = new List<(TestUser User, long Workspace, string Marker)>();
        for (var i = 1; i <= 5; i++)
        {
            var student = await Host.UserAsync(TestRole.Student);
            var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
            await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
            var id = (await Api.CreatedAsync(student.Client.PostAsJsonAsync("/api/v1/workspaces",
                new { name = $"Lab {i}", description = "", kind = "terminal", visibility = "private", guestAccess = "view", courseId = course, start = true })))
                .GetProperty("id").GetInt64();
            students.Add((student, id, $"answer-{i}-{Guid.NewGuid():N}"[..18]));
        }
        foreach (var (student, id, marker) in students)
        {
            await StateAsync(student, id, "running");
            // What a student's browser terminal does (TerminalBridge): the shared tmux session "main"; then they type.
            await Host.ShAsync(Names.Workload(id), $"tmux new-session -d -s main 2>/dev/null; tmux send-keys -t main 'echo {marker}' Enter");
        }

        var page = await session.NewPageAsync(width: 1366, height: 900);
        await page.SignInAsync(educator.Email);
        await page.GotoAsync($"/courses/{course}/workspaces");
        await page.GetByTestId("course-class-view").ClickAsync();
        foreach (var (_, id, marker) in students)
        {
            await Expect(page.GetByTestId($"class-state-{id}")).ToHaveTextAsync("running");
            // Each card shows that student's own screen: the command and its output.
            await Expect(page.GetByTestId($"class-screen-{id}")).ToContainTextAsync(marker, new() { Timeout = 30_000 });
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("class-view.png"), FullPage = true });
        Artifacts.CopyToDocs("class-view.png");

        // Live: a student types more and the grid shows it without a reload.
        var (_, first, _) = students[0];
        var later = "later-" + Guid.NewGuid().ToString("N")[..8];
        await Host.ShAsync(Names.Workload(first), $"tmux send-keys -t main 'echo {later}' Enter");
        await Expect(page.GetByTestId($"class-screen-{first}")).ToContainTextAsync(later, new() { Timeout = 30_000 });

        // A card opens the watch page, view only for the teacher (the gateway enforces it).
        await page.GetByTestId($"class-watch-{first}").ClickAsync();
        await Expect(page.GetByText("Watching (view only)")).ToBeVisibleAsync();

        // The same grid on a phone, in Korean: one column, nothing wider than the screen.
        var phone = await session.NewPageAsync(locale: "ko-KR", width: 1280, height: 900);
        await phone.SignInAsync(educator.Email);
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync($"/courses/{course}/class-view");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "수업 화면 보기" })).ToBeVisibleAsync();
        await Expect(phone.GetByTestId($"class-screen-{first}")).ToContainTextAsync(later);
        var overflow = await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the class view is {overflow} px wider than the phone");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("class-view-phone-ko.png"), FullPage = true });
        Artifacts.CopyToDocs("class-view-phone-ko.png");
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
}
