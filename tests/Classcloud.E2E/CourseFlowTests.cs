using System.Text;
using System.Text.RegularExpressions;
using Classcloud.E2E.Infrastructure;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Classcloud.E2E;

/// <summary>Issue 6 browser tests: enrolment and a private question answered; roster import with its preview.</summary>
public sealed class CourseFlowTests(BrowserHost host, BrowserFixture browser)
    : BrowserTest(host, browser), IClassFixture<BrowserHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Student_applies_educator_accepts_student_asks_privately_and_sees_the_answer() => InBrowserAsync(async session =>
    {
        var (educator, courseId, courseName) = await EducatorWithCourseAsync(session, "C Programming");

        var student = await session.NewPageAsync();
        await student.NewAccountAsync(Host, "student");
        await student.GotoAsync("/courses");
        await student.GetByTestId("tab-find").ClickAsync();
        await student.GetByTestId("course-search").FillAsync(courseName[2..]);
        await student.GetByTestId("course-search").PressAsync("Enter");
        await student.GetByTestId($"apply-{courseId}").ClickAsync();
        await ConfirmAsync(student);
        await Expect(student.GetByTestId("alert-message")).ToBeVisibleAsync();
        await Expect(student.GetByTestId($"course-{courseId}")).ToContainTextAsync("Waiting for approval");

        await educator.GotoAsync($"/courses/{courseId}/applications");
        await educator.Locator("[data-testid^='accept-']").First.ClickAsync();
        await Expect(educator.GetByTestId("alert-message")).ToBeVisibleAsync();
        await Expect(educator.Locator("[data-testid^='accept-']")).ToHaveCountAsync(0);

        // My courses now lists it; the student asks a question only the educators may read.
        await student.GotoAsync("/courses");
        await student.GetByTestId($"course-{courseId}").GetByRole(AriaRole.Link).ClickAsync();
        await student.GetByTestId("board-questions").ClickAsync();
        await student.GetByTestId("write-post").ClickAsync();
        await student.GetByTestId("post-title").FillAsync("Why does my pointer crash?");
        await student.GetByTestId("post-body").FillAsync("```c\nint *p; *p = 1;\n```");
        await student.GetByTestId("visibility-educators").CheckAsync();
        await student.GetByTestId("post-save").ClickAsync();
        await Expect(student).ToHaveURLAsync(new Regex(@"/posts/\d+$"));
        var postUrl = student.Url;
        await Expect(student.GetByTestId("post-view-title")).ToContainTextAsync("Educators only");

        // The educator answers in a comment.
        await educator.GotoAsync($"/courses/{courseId}?board=questions");
        await educator.GetByTestId("post-list").GetByText("Why does my pointer crash?").ClickAsync();
        await educator.GetByTestId("comment-body").FillAsync("`p` points nowhere: give it an address first.");
        await educator.GetByTestId("comment-save").ClickAsync();
        await Expect(educator.GetByTestId("comments")).ToContainTextAsync("points nowhere");

        // The student's bell counts it, My news links to it, and the answer is there.
        await student.GotoAsync("/courses");
        await Expect(student.GetByTestId("bell-count")).ToBeVisibleAsync();
        await student.GetByTestId("bell").ClickAsync();
        await student.GetByTestId("news").GetByText("commented on your post").First.ClickAsync();
        await Expect(student).ToHaveURLAsync(new Regex(Regex.Escape(new Uri(postUrl).AbsolutePath)));
        await Expect(student.GetByTestId("comments")).ToContainTextAsync("points nowhere");

        // Another member of the course never sees the question.
        var classmate = await session.NewPageAsync();
        await classmate.NewAccountAsync(Host, "classmate");
        await classmate.GotoAsync($"/courses/{courseId}");
        await classmate.GetByTestId("apply").ClickAsync();
        await ConfirmAsync(classmate);
        await educator.GotoAsync($"/courses/{courseId}/applications");
        await educator.Locator("[data-testid^='accept-']").First.ClickAsync();
        await classmate.GotoAsync($"/courses/{courseId}?board=questions");
        await Expect(classmate.GetByTestId("post-list")).Not.ToContainTextAsync("pointer");
        var direct = await classmate.GotoAsync(postUrl);
        Assert.Equal(404, direct!.Status);
    });

    [Fact]
    public Task Educator_imports_a_roster_after_a_preview_and_the_students_are_enrolled() => InBrowserAsync(async session =>
    {
        var (educator, courseId, _) = await EducatorWithCourseAsync(session, "Operating Systems");
        var existing = await session.NewPageAsync();
        var existingEmail = await existing.NewAccountAsync(Host, "rostered");
        var newcomer = TestAccounts.NewEmail("newcomer");

        await educator.GotoAsync($"/courses/{courseId}/roster");
        var csv = $"이메일,이름,학번\n{existingEmail},김철수,2026001\n{newcomer},이영희,2026002\nnot-an-address,박민수,2026003\n";
        await educator.GetByTestId("roster-file").SetInputFilesAsync(new FilePayload { Name = "명단.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await educator.GetByTestId("roster-preview").ClickAsync();
        await Expect(educator.GetByTestId("roster-row-2")).ToContainTextAsync("Will enrol");
        await Expect(educator.GetByTestId("roster-row-3")).ToContainTextAsync("Will invite by e-mail");
        await Expect(educator.GetByTestId("roster-row-4")).ToContainTextAsync("Invalid");
        await Expect(educator.GetByTestId("roster-confirm")).ToHaveCountAsync(0);

        // Fixed file: the preview offers to confirm, and confirming enrols.
        var fixedCsv = $"이메일,이름,학번\n{existingEmail},김철수,2026001\n{newcomer},이영희,2026002\n";
        await educator.GetByTestId("roster-file").SetInputFilesAsync(new FilePayload { Name = "명단.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(fixedCsv) });
        await educator.GetByTestId("roster-preview").ClickAsync();
        await educator.GetByTestId("roster-confirm").ClickAsync();
        await ConfirmAsync(educator);
        await Expect(educator).ToHaveURLAsync(new Regex($"/courses/{courseId}/members"));
        await Expect(educator.GetByTestId("members")).ToContainTextAsync(existingEmail);
        await Expect(educator.GetByTestId("members")).ToContainTextAsync("2026001");
        Assert.Single(await Host.MailsToAsync(newcomer));

        await existing.GotoAsync("/courses");
        await Expect(existing.GetByTestId($"course-{courseId}")).ToBeVisibleAsync();
    });

    /// <summary>An approved educator, signed in, who has just created a course through the form.</summary>
    async Task<(IPage Page, long CourseId, string Name)> EducatorWithCourseAsync(BrowserSession session, string title)
    {
        var educator = await session.NewPageAsync();
        var email = await educator.NewAccountAsync(Host, "educator", role: "educator");
        var admin = await session.NewPageAsync();
        await admin.SignInAsync("admin@localhost", Host.AdminPassword);
        var id = (await educator.ApiMeAsync(Host)).GetProperty("id").GetInt64();
        var approved = await admin.Context.APIRequest.PostAsync(Host.Url($"/api/v1/admin/users/{id}/approve"));
        Assert.Equal(200, approved.Status);
        Assert.Equal(email, (await educator.ApiMeAsync(Host)).GetProperty("email").GetString());

        var name = $"{title} {Guid.NewGuid().ToString("N")[..6]}";
        await educator.GotoAsync("/courses");
        await educator.GetByTestId("course-create").ClickAsync();
        await educator.GetByTestId("course-name").FillAsync(name);
        await educator.GetByTestId("course-description").FillAsync("2026, 1st semester");
        await educator.GetByTestId("course-save").ClickAsync();
        await Expect(educator.GetByTestId("course-title")).ToHaveTextAsync(name);
        var courseId = long.Parse(Regex.Match(educator.Url, @"/courses/(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (educator, courseId, name);
    }

    /// <summary>Accepts the confirmation dialog that forms with data-confirm open.</summary>
    static async Task ConfirmAsync(IPage page) => await page.GetByTestId("confirm-ok").ClickAsync();
}
