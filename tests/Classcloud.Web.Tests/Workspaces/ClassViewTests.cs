using System.Net;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Workspaces.ClassView;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Issue 17's class view without the engine: every accepted student is a card (their course workspaces, or an
/// empty card), the educators' own workspaces and the applicant are not, a running workspace links to its watch
/// page and a stopped one does not; students are refused. The screens themselves are read from real terminals in
/// the browser test (Classcloud.E2E ClassViewPageTests).
/// </summary>
public abstract class ClassViewTests(ClasscloudHost host)
{
    [Fact]
    public async Task The_educator_sees_every_student_with_their_course_workspaces_and_students_are_refused()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await WorkspaceRows.AddAsync(host, cast.Owner.Id, WorkspaceState.Running, courseId: course.Id, name: "Teacher demo");
        var running = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Running, courseId: course.Id, name: "Member lab");
        var stopped = await WorkspaceRows.AddAsync(host, cast.Author.Id, courseId: course.Id, kind: WorkspaceKind.Desktop, name: "Author desk");
        await WorkspaceRows.AddAsync(host, cast.Member.Id, name: "Not in the course");

        foreach (var teacher in new[] { cast.Owner, cast.CoEducator, cast.Admin })
        {
            var view = await (await teacher.Client.GetAsync($"/api/v1/courses/{course.Id}/class-view")).OkAsync<ClassViewDto>();
            var students = view.Students.ToDictionary(s => s.UserId);
            Assert.Equal(new[] { cast.Member.Id, cast.Author.Id, cast.Classmate.Id }.Order(), students.Keys.Order());
            Assert.Equal(running, Assert.Single(students[cast.Member.Id].Workspaces).Workspace.Id);
            var desk = Assert.Single(students[cast.Author.Id].Workspaces).Workspace;
            Assert.Equal((stopped, "stopped", "desktop"), (desk.Id, desk.State, desk.Kind));
            Assert.Empty(students[cast.Classmate.Id].Workspaces);
            Assert.Null(students[cast.Member.Id].Workspaces[0].Screen); // no engine here: nothing to read
            Assert.Equal(ClassViewService.RefreshSeconds, view.RefreshSeconds);
        }

        foreach (var refused in new[] { cast.Member, cast.Applicant, cast.OtherEducator })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await refused.Client.GetAsync($"/api/v1/courses/{course.Id}/class-view")).StatusCode);
            // The page sends them to the "not allowed" page, as every page does for a forbidden request.
            using var answer = await refused.Client.GetAsync($"/courses/{course.Id}/class-view");
            Assert.Equal(HttpStatusCode.Found, answer.StatusCode);
            var location = answer.Headers.Location!;
            Assert.StartsWith("/denied", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString, StringComparison.Ordinal);
        }

        // The page and its live grid: a card per workspace, a watch link only on the running one, the empty card.
        var page = await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/class-view");
        Assert.Contains($"data-testid=\"class-watch-{running}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"class-card-{stopped}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"class-watch-{stopped}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"class-student-{cast.Classmate.Id}\"", page, StringComparison.Ordinal);
        var grid = await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/class-view?handler=Grid");
        Assert.StartsWith("<div class=\"cc-class-grid\"", grid.Trim(), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"course-class-view\"", await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/workspaces"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_shows_the_bottom_lines_of_the_screen_cut_to_its_width()
    {
        var screen = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\n" + new string('x', 150) + "\n\n\n";
        var shown = ClassViewService.LastLines(screen).Split('\n');
        Assert.Equal(ClassViewService.ScreenLines, shown.Length);
        Assert.Equal("line 20", shown[0]);
        Assert.Equal(new string('x', 100), shown[^1]);
    }
}

public sealed class SqliteClassViewTests(SqliteHost host) : ClassViewTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresClassViewTests(PostgresHost host) : ClassViewTests(host), IClassFixture<PostgresHost>;
