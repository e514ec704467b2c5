using System.Net;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Tests.Pages;

/// <summary>
/// Issue 17's signed-in home, the empty course list of an educator awaiting approval, My news clearing the bell,
/// and audit actions as sentences — through the pages' HTML as a browser gets it.
/// </summary>
public abstract class HomePageTests(ClasscloudHost host)
{
    [Fact]
    public async Task Visitors_keep_the_welcome_page()
    {
        var html = await host.NewClient().HtmlAsync("/");
        Assert.Contains("Welcome to Classcloud", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"home-workspaces\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_student_sees_workspaces_with_one_click_actions_courses_what_is_due_and_unread_news()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var running = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Running, courseId: course.Id, name: "Running lab");
        var stopped = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Stopped, name: "Stopped lab");
        var soon = await AssignmentAsync(course.Id, "Due soon", TimeSpan.FromDays(3));
        var later = await AssignmentAsync(course.Id, "Due much later", TimeSpan.FromDays(60));

        var html = await cast.Member.Client.HtmlAsync("/");

        Assert.Contains($"data-testid=\"home-connect-{running}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"home-start-{stopped}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"home-connect-{stopped}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"home-course-{course.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"home-due-{soon}\"", html, StringComparison.Ordinal);
        Assert.Contains("Not submitted yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"home-due-{later}\"", html, StringComparison.Ordinal);
        Assert.Contains("was accepted", html, StringComparison.Ordinal); // the unread news of being accepted

        // The applicant's course is there too, as an application still waiting.
        var applicant = await cast.Applicant.Client.HtmlAsync("/");
        Assert.Contains($"data-testid=\"home-course-{course.Id}\"", applicant, StringComparison.Ordinal);
        Assert.Contains("Waiting for approval", applicant, StringComparison.Ordinal);
        // The educator sees the deadline of the course they teach, marked as theirs.
        Assert.Contains($"data-testid=\"home-due-{soon}\"", await cast.Owner.Client.HtmlAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_student_gets_empty_states_that_say_what_to_do_next()
    {
        var student = await host.UserAsync(TestRole.Student);
        var html = await student.Client.HtmlAsync("/");
        foreach (var id in new[] { "home-workspaces-empty", "home-courses-empty", "home-find-courses", "home-due-empty", "home-news-empty" })
        {
            Assert.Contains($"data-testid=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("Find one and apply", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"awaiting-approval\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_educator_awaiting_approval_is_told_so_and_never_asked_to_apply_to_a_course()
    {
        var pending = await host.UserAsync(TestRole.PendingEducator);
        var home = await (await pending.Client.SendAsync(PageForms.Korean("GET", "/"))).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"awaiting-approval\"", home, StringComparison.Ordinal);
        Assert.Contains("교육자 계정이 관리자의 승인을 기다리고 있습니다.", home, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"home-find-courses\"", home, StringComparison.Ordinal);

        var courses = await pending.Client.HtmlAsync("/courses");
        Assert.DoesNotContain("Find one and apply", courses, StringComparison.Ordinal);
        Assert.Contains("once an administrator approves your educator account", courses, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_My_news_clears_the_bell()
    {
        var cast = await CourseCast.ForAsync(host);
        await cast.NewCourseAsync(); // Member is accepted (and a notice is posted): unread news
        Assert.Contains("data-testid=\"bell-count\"", await cast.Member.Client.HtmlAsync("/courses"), StringComparison.Ordinal);

        var news = await cast.Member.Client.HtmlAsync("/news");

        Assert.Contains("cc-unread", news, StringComparison.Ordinal); // this page still shows which ones were new
        Assert.DoesNotContain("data-testid=\"bell-count\"", news, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"bell-count\"", await cast.Member.Client.HtmlAsync("/courses"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_shows_actions_as_sentences_in_the_readers_language()
    {
        await host.UserAsync(TestRole.Student); // signs in: a signin.success entry
        var admin = await host.AdminAsync();
        var english = await admin.Client.HtmlAsync("/admin/audit?action=signin.success");
        Assert.Contains("data-action=\"signin.success\">Signed in</td>", english, StringComparison.Ordinal);
        Assert.DoesNotContain("<code class=\"small\">signin.success</code>", english, StringComparison.Ordinal);
        var korean = await (await admin.Client.SendAsync(PageForms.Korean("GET", "/admin/audit?action=signin.success"))).Content.ReadAsStringAsync();
        Assert.Contains("data-action=\"signin.success\">로그인함</td>", korean, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_layout_links_an_svg_favicon_that_is_served()
    {
        var html = await host.NewClient().HtmlAsync("/");
        Assert.Matches("<link rel=\"icon\" type=\"image/svg\\+xml\" href=\"/favicon.svg(\\?v=[^\"]+)?\"", html);
        var icon = await host.NewClient().GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
    }

    Task<long> AssignmentAsync(long courseId, string title, TimeSpan dueIn) =>
        host.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var a = new Assignment
            {
                CourseId = courseId,
                Slug = "a-" + Guid.NewGuid().ToString("N")[..8],
                Title = title,
                OpensAt = now.AddHours(-1),
                DueAt = now + dueIn,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Assignments.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
}

public sealed class SqliteHomePageTests(SqliteHost host) : HomePageTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresHomePageTests(PostgresHost host) : HomePageTests(host), IClassFixture<PostgresHost>;
