using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Issue 17's contract, GET /api/v1/courses/{id}/workspaces: educators see every member's course workspaces with
/// state and last activity; a student their own and the ones shared with them (the educators', public ones) —
/// never a classmate's private one, nor anything outside the course. The course page's tab lists the same.
/// </summary>
public abstract class CourseWorkspacesTests(ClasscloudHost host)
{
    [Fact]
    public async Task Educators_see_every_members_course_workspace_and_students_their_own_and_the_shared_ones()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var teacher = await WorkspaceRows.AddAsync(host, cast.Owner.Id, WorkspaceState.Running, courseId: course.Id, name: "Teacher demo");
        var coTeacher = await WorkspaceRows.AddAsync(host, cast.CoEducator.Id, courseId: course.Id, name: "Co-teacher demo");
        var member = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Running, courseId: course.Id, name: "Member lab");
        var classmate = await WorkspaceRows.AddAsync(host, cast.Classmate.Id, courseId: course.Id, name: "Classmate lab");
        var shown = await WorkspaceRows.AddAsync(host, cast.Author.Id, visibility: WorkspaceVisibility.Public, courseId: course.Id, name: "Author public");
        var elsewhere = await WorkspaceRows.AddAsync(host, cast.Member.Id, name: "Not in the course");

        var all = await ListAsync(cast.Owner, course.Id);
        Assert.Equal(new[] { teacher, coTeacher, member, classmate, shown }.Order(), all.Keys.Order());
        Assert.Equal(("running", "Member lab", "course-educator"), (all[member].State, all[member].Name, all[member].Relation));
        Assert.True(all[teacher].OwnerTeaches && !all[member].OwnerTeaches);
        Assert.Contains("connect", all[member].Actions); // running: the educator may watch
        Assert.DoesNotContain("connect", all[classmate].Actions); // stopped: nothing to watch
        Assert.True(all[member].LastActivityAt > DateTime.UtcNow.AddMinutes(-5));

        var mine = await ListAsync(cast.Member, course.Id);
        Assert.Equal(new[] { teacher, coTeacher, member, shown }.Order(), mine.Keys.Order());
        Assert.Equal("owner", mine[member].Relation);
        Assert.Equal("course-member", mine[teacher].Relation);
        Assert.DoesNotContain(elsewhere, mine.Keys);

        // The course page's tab: the educator's list of students with a watch link on the running one.
        var page = await cast.Owner.Client.HtmlAsync($"/courses/{course.Id}/workspaces");
        Assert.Contains("data-testid=\"course-student-workspaces\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"course-workspace-watch-{member}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"course-workspace-watch-{classmate}\"", page, StringComparison.Ordinal);
        var studentPage = await cast.Member.Client.HtmlAsync($"/courses/{course.Id}/workspaces");
        Assert.DoesNotContain("data-testid=\"course-student-workspaces\"", studentPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"course-workspace-{classmate}\"", studentPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/courses/{course.Id}/environments\"", studentPage, StringComparison.Ordinal); // the tabs lead to the environments
    }

    static async Task<Dictionary<long, CourseWorkspaceDto>> ListAsync(TestUser user, long course) =>
        (await (await user.Client.GetAsync($"/api/v1/courses/{course}/workspaces")).OkAsync<List<CourseWorkspaceDto>>()).ToDictionary(w => w.Id);
}

public sealed class SqliteCourseWorkspacesTests(SqliteHost host) : CourseWorkspacesTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseWorkspacesTests(PostgresHost host) : CourseWorkspacesTests(host), IClassFixture<PostgresHost>;
