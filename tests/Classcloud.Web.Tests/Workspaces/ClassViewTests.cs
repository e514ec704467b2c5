using System.Net;
using System.Net.Http.Json;
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
    public async Task A_student_raises_a_hand_the_class_view_shows_it_and_an_educator_lowers_it()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var lab = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Running, courseId: course.Id, name: "Member lab");
        var own = await WorkspaceRows.AddAsync(host, cast.Member.Id, name: "Not in the course");
        async Task<DateTime?> HandAsync() => (await (await cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}/class-view")).OkAsync<ClassViewDto>())
            .Students.Single(s => s.UserId == cast.Member.Id).Workspaces.Single().Workspace.HandRaisedAt;
        Task<HttpResponseMessage> SetAsync(TestUser who, long id, bool raised) => who.Client.PostAsJsonAsync($"/api/v1/workspaces/{id}/hand", new { raised });

        Assert.Null(await HandAsync());
        var raised = await (await SetAsync(cast.Member, lab, true)).OkAsync<HandDto>();
        Assert.NotNull(raised.RaisedAt);
        Assert.Equal(raised.RaisedAt, await HandAsync());
        Assert.Contains($"data-testid=\"class-hand-{lab}\"", await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/class-view?handler=Grid"), StringComparison.Ordinal);

        // Only the owner raises; the course's educators lower; a classmate cannot even see it; a personal workspace has no hand.
        Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync(cast.CoEducator, lab, true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SetAsync(cast.Classmate, lab, false)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SetAsync(cast.Member, own, true)).StatusCode);
        Assert.Equal(raised.RaisedAt, await HandAsync());
        Assert.Null((await (await SetAsync(cast.CoEducator, lab, false)).OkAsync<HandDto>()).RaisedAt);
        Assert.Null(await HandAsync());

        // The class view's "Lower" button: a page form (antiforgery) that sends the teacher back to the grid.
        await SetAsync(cast.Member, lab, true);
        using var lowered = await cast.Owner.Client.SubmitAsync($"/courses/{course.Id}/class-view", $"/courses/{course.Id}/class-view?handler=Lower", ("workspaceId", lab.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Found, lowered.StatusCode);
        Assert.Null(await HandAsync());
        Assert.DoesNotContain($"data-testid=\"class-hand-{lab}\"", await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/class-view?handler=Grid"), StringComparison.Ordinal);
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
