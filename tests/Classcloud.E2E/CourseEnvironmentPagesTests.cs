using System.Net.Http.Json;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Course environments on the pages: an educator publishes a snapshot on /courses/{id}/environments; the
/// student sees it on the course page and on the new-workspace page and makes a course workspace in one click.
/// </summary>
public sealed class CourseEnvironmentPagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_educator_publishes_and_a_student_creates_from_the_course_page() => InBrowserAsync(async session =>
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Data structures", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        await WorkspaceRows.SnapshotAsync(Host, await WorkspaceRows.AddAsync(Host, educator.Id, name: "Lab image"));

        var teacher = await session.NewPageAsync();
        await teacher.SignInAsync(educator.Email);
        await teacher.GotoAsync($"/courses/{course}/environments");
        await Expect(teacher.GetByTestId("no-environments")).ToBeVisibleAsync();
        await teacher.GetByTestId("env-name").FillAsync("C lab");
        await teacher.GetByTestId("env-publish").ClickAsync();
        await Expect(teacher.GetByTestId("alert-message")).ToBeVisibleAsync();
        var environment = await Host.WithDbAsync(db => db.CourseEnvironments.Where(e => e.CourseId == course).Select(e => e.Id).SingleAsync());
        await Expect(teacher.GetByTestId($"environment-{environment}")).ToContainTextAsync("C lab");
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("course-environments-educator.png"), FullPage = true });

        var page = await session.NewPageAsync();
        await page.SignInAsync(student.Email);
        await page.GotoAsync("/workspaces/new");
        await Expect(page.GetByTestId($"environment-{environment}")).ToContainTextAsync("Data structures");
        await page.GotoAsync($"/courses/{course}");
        await Expect(page.GetByTestId($"environment-{environment}")).ToContainTextAsync("C lab");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("course-environments-student.png"), FullPage = true });
        await page.GetByTestId($"environment-create-{environment}").ClickAsync();
        await Expect(page.GetByTestId("alert-message")).ToBeVisibleAsync();
        var made = await Host.WithDbAsync(db => db.Workspaces.SingleAsync(w => w.OwnerId == student.Id));
        Assert.Equal(((long?)course, "C lab"), (made.CourseId, made.Name));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/workspaces/{made.Id}$"));
    });
}
