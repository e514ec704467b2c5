using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Rollover;

/// <summary>Issue 16, semester rollover: a course archived at term end is read-only; a copy starts the next term.</summary>
public abstract class RolloverTests(ClasscloudHost host)
{
    [Fact]
    public async Task An_archived_course_takes_nothing_new_until_it_is_reopened()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var assignment = await AssignmentKit.CreateAsync(cast.Owner, course.Id, AssignmentKit.Body("Open " + Guid.NewGuid().ToString("N")[..6]));

        var archived = await Api.OkAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/archive", new { }));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, archived.GetProperty("archivedAt").ValueKind);

        const string Archived = "This course is archived and read-only.";
        async Task RefusedAsync(Task<HttpResponseMessage> call) =>
            Assert.Equal(Archived, (await (await call).ProblemAsync(HttpStatusCode.Conflict)).Detail);
        await RefusedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/questions/posts", new { title = "Q", body = "b", visibility = "everyone" }));
        await RefusedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/notice/posts", new { title = "N", body = "b" }));
        await RefusedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{course.EveryonePost}/comments", new { body = "late" }));
        await RefusedAsync(cast.Author.Client.PostAsync($"/api/v1/posts/{course.EveryonePost}/attachments", Api.File("a.txt", "x"u8.ToArray())));
        await RefusedAsync(cast.Member.Client.PostAsync($"/api/v1/assignments/{assignment}/submissions", null));
        var outsider = await host.UserAsync(TestRole.Student);
        await RefusedAsync(outsider.Client.PostAsync($"/api/v1/courses/{course.Id}/applications", null));
        // Everything stays readable.
        await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{course.EveryonePost}"));
        await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{course.EveryonePost}/comments"));

        var reopened = await Api.OkAsync(cast.Owner.Client.DeleteAsync($"/api/v1/courses/{course.Id}/archive"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reopened.GetProperty("archivedAt").ValueKind);
        await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{course.EveryonePost}/comments", new { body = "back again" }));
        await Api.CreatedAsync(outsider.Client.PostAsync($"/api/v1/courses/{course.Id}/applications", null));
    }

    [Fact]
    public async Task Stopping_workspaces_with_the_archive_needs_the_count_the_educator_was_shown()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var running = await WorkspaceRows.AddAsync(host, cast.Member.Id, WorkspaceState.Running, courseId: course.Id);
        var stopped = await WorkspaceRows.AddAsync(host, cast.Author.Id, WorkspaceState.Stopped, courseId: course.Id);

        var stale = await (await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/archive", new { stopWorkspaces = true, workspaces = 2 }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.StartsWith("1 workspaces of this course are running now", stale.Detail, StringComparison.Ordinal);
        Assert.Null(await host.WithDbAsync(db => db.Courses.Where(c => c.Id == course.Id).Select(c => c.ArchivedAt).SingleAsync()));

        await Api.OkAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/archive", new { stopWorkspaces = true, workspaces = 1 }));
        // The stop is under way (the worker carries it out; this host has no engine, so it is not awaited here).
        Assert.NotEqual(WorkspaceState.Running, (await WorkspaceRows.GetAsync(host, running)).State);
        Assert.Equal(WorkspaceState.Stopped, (await WorkspaceRows.GetAsync(host, stopped)).State);
    }

    [Fact]
    public async Task A_copy_has_the_notices_environments_and_assignments_with_shifted_dates_and_no_people()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync("Algorithms " + Guid.NewGuid().ToString("N")[..6]);
        var due = DateTimeOffset.UtcNow.AddDays(3);
        var assignment = await AssignmentKit.CreateAsync(cast.Owner, course.Id, AssignmentKit.Body("Sum", dueAt: due, slug: "sum"));
        await AssignmentKit.SubmissionAsync(host, assignment, cast.Member.Id, new Dictionary<string, string> { ["main.sh"] = "echo 3\n" });
        var workspace = await WorkspaceRows.AddAsync(host, cast.Owner.Id);
        var snapshot = await WorkspaceRows.SnapshotAsync(host, workspace);
        await host.WithDbAsync(async db =>
        {
            db.CourseEnvironments.Add(new CourseEnvironment { CourseId = course.Id, Name = "C env", SnapshotId = snapshot, Kind = WorkspaceKind.Terminal, CreatedById = cast.Owner.Id, CreatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        var copy = await Api.CreatedAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/copy", new { description = "2026-2", shiftDays = 182 }));
        var id = copy.GetProperty("id").GetInt64();
        Assert.NotEqual(course.Id, id);
        Assert.Equal("owner", copy.GetProperty("myStatus").GetString());
        Assert.Equal("2026-2", copy.GetProperty("description").GetString());
        Assert.Equal(0, copy.GetProperty("memberCount").GetInt32());

        var notices = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{id}/boards/notice/posts"));
        Assert.Equal("Notice", Assert.Single(notices.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
        var questions = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{id}/boards/questions/posts"));
        Assert.Empty(questions.GetProperty("items").EnumerateArray());
        var members = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{id}/members"));
        Assert.Equal(cast.CoEducator.Id, Assert.Single(members.EnumerateArray()).GetProperty("user").GetProperty("id").GetInt64());

        var (copied, tests, submissions, environments) = await host.WithDbAsync(async db =>
        {
            var a = await db.Assignments.AsNoTracking().SingleAsync(x => x.CourseId == id);
            return (a, await db.AssignmentTests.CountAsync(t => t.AssignmentId == a.Id), await db.Submissions.CountAsync(s => s.AssignmentId == a.Id),
                await db.CourseEnvironments.Where(e => e.CourseId == id).Select(e => e.SnapshotId).ToListAsync());
        });
        Assert.Equal(("sum", "Sum", false), (copied.Slug, copied.Title, copied.Released));
        Assert.Equal(due.UtcDateTime.AddDays(182), copied.DueAt, TimeSpan.FromSeconds(1));
        Assert.Equal(3, tests);
        Assert.Equal(0, submissions);
        Assert.Equal(snapshot, Assert.Single(environments));
    }

    [Fact]
    public async Task A_copy_checks_its_shift_and_the_new_name()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await (await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/copy", new { shiftDays = 100_000 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/copy", new { name = new string('x', 500) })).ProblemAsync(HttpStatusCode.BadRequest);
        var problem = await (await cast.OtherEducator.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/copy", new { })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Only the educators of this course can do this.", problem.Detail);
    }
}

public sealed class SqliteRolloverTests(SqliteHost host) : RolloverTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresRolloverTests(PostgresHost host) : RolloverTests(host), IClassFixture<PostgresHost>;
