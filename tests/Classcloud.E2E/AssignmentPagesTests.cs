using System.Net.Http.Json;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>
/// Assignments on the pages (no engine): the educator creates one with a test through the course's Assignments
/// tab and lands on its page (grade all, release, gradebook); the student sees it open with its due time in
/// local time and a "Submit now" button, and the score once released.
/// </summary>
public sealed class AssignmentPagesTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task An_educator_creates_an_assignment_and_a_student_sees_it_and_its_released_score() => InBrowserAsync(async session =>
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var student = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Programming 1", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));

        var teacher = await session.NewPageAsync();
        await teacher.SignInAsync(educator.Email);
        await teacher.GotoAsync($"/courses/{course}");
        await teacher.GetByTestId("course-tab-assignments").ClickAsync();
        await Expect(teacher.GetByTestId("no-assignments")).ToBeVisibleAsync();
        await teacher.GetByTestId("a-title").FillAsync("Sum of two numbers");
        await teacher.GetByTestId("a-slug").FillAsync("sum");
        await teacher.GetByTestId("a-description").FillAsync("Read two numbers and print their sum.");
        await teacher.GetByTestId("a-language").SelectOptionAsync("python");
        await teacher.GetByTestId("a-due").FillAsync(DateTime.Now.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await teacher.GetByTestId("a-starter-path").FillAsync("main.py");
        await teacher.GetByTestId("a-starter").FillAsync("a, b = map(int, input().split())\n");
        await teacher.GetByTestId("a-test-stdin-0").FillAsync("1 2");
        await teacher.GetByTestId("a-test-expected-0").FillAsync("3");
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("assignments-create.png"), FullPage = true });
        await teacher.GetByTestId("a-create").ClickAsync();
        await Expect(teacher.GetByTestId("assignment-title")).ToHaveTextAsync("Sum of two numbers");
        var assignment = await Host.WithDbAsync(db => db.Assignments.SingleAsync(a => a.CourseId == course));
        Assert.Equal(("sum", "python", 1), (assignment.Slug, assignment.Language, await Host.WithDbAsync(db => db.AssignmentTests.CountAsync(t => t.AssignmentId == assignment.Id))));
        Assert.InRange(assignment.DueAt, DateTime.UtcNow.AddDays(3).AddMinutes(-2), DateTime.UtcNow.AddDays(3).AddMinutes(1)); // the browser's local time, stored as UTC
        await Expect(teacher.GetByTestId("gradebook-download")).ToBeVisibleAsync();

        var page = await session.NewPageAsync();
        await page.SignInAsync(student.Email);
        await page.GotoAsync($"/courses/{course}/assignments");
        await Expect(page.GetByTestId($"assignment-state-{assignment.Id}")).ToHaveTextAsync("Open");
        await Expect(page.GetByTestId($"assignment-submit-{assignment.Id}")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("assignments-student.png"), FullPage = true });

        // A graded submission (the engine tests take and grade real ones), then released from the educator's page.
        await Host.WithDbAsync(async db =>
        {
            db.Submissions.Add(new Submission
            {
                AssignmentId = assignment.Id, UserId = student.Id, Source = SubmissionSources.Submit, TakenAt = DateTime.UtcNow, ContentHash = new string('0', 64),
                ArchiveKey = new string('0', 32), GradeState = GradeStates.Done, Score = 1, MaxScore = 1,
            });
            return await db.SaveChangesAsync();
        });
        await teacher.ReloadAsync();
        await teacher.GetByTestId("assignment-release").ClickAsync();
        await Expect(teacher.GetByTestId("alert-message")).ToBeVisibleAsync();
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("assignment-educator.png"), FullPage = true });
        await page.ReloadAsync();
        await Expect(page.GetByTestId($"assignment-score-{assignment.Id}")).ToContainTextAsync("1 / 1");
        await Expect(page.GetByTestId($"assignment-state-{assignment.Id}")).ToHaveTextAsync("Graded");
    });
}
