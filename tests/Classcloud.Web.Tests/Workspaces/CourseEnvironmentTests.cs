using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Course environments (seed 000 §4.6): publish a snapshot, members see it and make a course workspace
/// from it in one click, bad input stores nothing, a published snapshot is never collected, and
/// "provision automatically" makes one per member — with a note where the quota stops it.
/// </summary>
public abstract class CourseEnvironmentTests(ClasscloudHost host)
{
    async Task<(TestUser Educator, long Course)> CourseAsync(params TestUser[] students)
    {
        var educator = await host.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Env " + Guid.NewGuid().ToString("N")[..6], description = "2026-2" })))
            .GetProperty("id").GetInt64();
        foreach (var student in students)
        {
            await EnrolAsync(educator, course, student);
        }
        return (educator, course);
    }

    static async Task EnrolAsync(TestUser educator, long course, TestUser student)
    {
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
    }

    async Task<long> SnapshotOfAsync(TestUser user) => await WorkspaceRows.SnapshotAsync(host, await WorkspaceRows.AddAsync(host, user.Id));

    [Fact]
    public async Task Members_see_a_published_environment_and_make_a_course_workspace_in_one_click()
    {
        var student = await host.UserAsync(TestRole.Student);
        var (educator, course) = await CourseAsync(student);
        var snapshot = await SnapshotOfAsync(educator);
        var other = await SnapshotOfAsync(student);
        var path = $"/api/v1/courses/{course}/environments";

        // Bad input stores nothing: no snapshot, someone else's snapshot, no name.
        Assert.Contains("snapshots", (await (await educator.Client.PostAsJsonAsync(path, new { name = "Lab" })).ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        await (await educator.Client.PostAsJsonAsync(path, new { name = "Lab", snapshotId = other })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await educator.Client.PostAsJsonAsync(path, new { name = " ", snapshotId = snapshot })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await host.WithDbAsync(db => db.CourseEnvironments.CountAsync(e => e.CourseId == course)));

        var published = await Api.CreatedAsync(educator.Client.PostAsJsonAsync(path, new { name = "Python lab", description = "Week 1", snapshotId = snapshot }));
        var id = published.GetProperty("id").GetInt64();
        Assert.Equal(snapshot, published.GetProperty("snapshotId").GetInt64());

        var seen = Assert.Single((await Api.OkAsync(student.Client.GetAsync(path))).EnumerateArray());
        Assert.Equal(("Python lab", "terminal", false), (seen.GetProperty("name").GetString(), seen.GetProperty("kind").GetString(), seen.GetProperty("provisionAutomatically").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("snapshotId").ValueKind); // students never see image details

        var created = await Api.CreatedAsync(student.Client.PostAsync($"{path}/{id}/workspaces", null));
        var workspace = await WorkspaceRows.GetAsync(host, created.GetProperty("id").GetInt64());
        var image = await host.WithDbAsync(db => db.WorkspaceSnapshots.Where(s => s.Id == snapshot).Select(s => s.Image).SingleAsync());
        Assert.Equal((student.Id, (long?)course, (long?)snapshot, image, "Python lab", WorkspaceVisibility.Private),
            (workspace.OwnerId, workspace.CourseId, workspace.SnapshotId, workspace.Image, workspace.Name, workspace.Visibility));
        // The course's educator may join the student's course workspace (seed 000 §3.4.2.2 item 7).
        await Api.OkAsync(educator.Client.GetAsync($"/api/v1/workspaces/{workspace.Id}"));

        await (await student.Client.PostAsync($"{path}/{id + 1000}/workspaces", null)).ProblemAsync(HttpStatusCode.NotFound);
        var renamed = await Api.OkAsync(educator.Client.PutAsJsonAsync($"{path}/{id}", new { name = "Python lab 2", description = "" }));
        Assert.Equal("Python lab 2", renamed.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await educator.Client.DeleteAsync($"{path}/{id}")).StatusCode);
        Assert.Empty((await Api.OkAsync(student.Client.GetAsync(path))).EnumerateArray());
    }

    [Fact]
    public async Task A_published_snapshot_is_not_collected_when_its_workspace_goes()
    {
        var (educator, course) = await CourseAsync();
        var workspace = await WorkspaceRows.AddAsync(host, educator.Id);
        var snapshotId = await WorkspaceRows.SnapshotAsync(host, workspace);
        var env = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync($"/api/v1/courses/{course}/environments", new { name = "Lab", snapshotId })))
            .GetProperty("id").GetInt64();
        // The workspace is being deleted: only the environment still holds the snapshot.
        await host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == workspace).ExecuteUpdateAsync(s => s.SetProperty(w => w.Deleting, true)));
        Assert.True(await UsedAsync(snapshotId));
        await host.WithDbAsync(db => db.CourseEnvironments.Where(e => e.Id == env).ExecuteDeleteAsync());
        Assert.False(await UsedAsync(snapshotId));
    }

    async Task<bool> UsedAsync(long snapshotId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Classcloud.Web.Data.ClasscloudDb>();
        var snapshot = await db.WorkspaceSnapshots.SingleAsync(s => s.Id == snapshotId);
        return await scope.ServiceProvider.GetRequiredService<SnapshotCollector>().IsUsedAsync(snapshot, DateTime.UtcNow, CancellationToken.None);
    }

    [Fact]
    public async Task Provisioning_makes_one_per_member_notes_the_quota_and_follows_new_enrolments()
    {
        var fresh = await host.UserAsync(TestRole.Student);
        var full = await host.UserAsync(TestRole.Student);
        var limit = (await Api.OkAsync((await host.AdminAsync()).Client.GetAsync("/api/v1/admin/settings"))).GetProperty("maxWorkspacesPerUser").GetInt32();
        for (var i = 0; i < limit; i++)
        {
            await WorkspaceRows.AddAsync(host, full.Id);
        }
        var (educator, course) = await CourseAsync(fresh, full);
        var snapshot = await SnapshotOfAsync(educator);
        var path = $"/api/v1/courses/{course}/environments";
        var id = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync(path, new { name = "Auto", snapshotId = snapshot, provisionAutomatically = true })))
            .GetProperty("id").GetInt64();

        var mine = Assert.Single((await Api.OkAsync(fresh.Client.GetAsync(path))).EnumerateArray());
        var made = mine.GetProperty("myWorkspaceId").GetInt64();
        Assert.Equal((fresh.Id, (long?)course), ((await WorkspaceRows.GetAsync(host, made)).OwnerId, (await WorkspaceRows.GetAsync(host, made)).CourseId));
        var note = Assert.Single((await Api.OkAsync(full.Client.GetAsync(path))).EnumerateArray()).GetProperty("myNote").GetString();
        Assert.Contains($"{limit} workspaces", note, StringComparison.Ordinal);
        Assert.Equal(limit, await host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == full.Id)));
        var provisions = (await Api.OkAsync(educator.Client.GetAsync($"{path}/{id}/provisions"))).EnumerateArray().ToList();
        Assert.Equal(2, provisions.Count);

        // A member who joins later gets one on the next pass; nobody gets a second.
        var late = await host.UserAsync(TestRole.Student);
        await EnrolAsync(educator, course, late);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EnvironmentProvisioning>().ProvisionAllAsync(CancellationToken.None);
        }
        Assert.Equal(1, await host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == late.Id && w.CourseId == course)));
        Assert.Equal(1, await host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == fresh.Id)));

        // Turning it on for an environment that was off provisions the existing members at once.
        var second = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync(path, new { name = "Later", snapshotId = snapshot })))
            .GetProperty("id").GetInt64();
        Assert.Equal(0, await host.WithDbAsync(db => db.CourseProvisions.CountAsync(p => p.EnvironmentId == second)));
        await Api.OkAsync(educator.Client.PutAsJsonAsync($"{path}/{second}", new { name = "Later", provisionAutomatically = true }));
        Assert.Equal(2, await host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == late.Id && w.CourseId == course)));
    }
}

public sealed class SqliteCourseEnvironmentTests(SqliteHost host) : CourseEnvironmentTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseEnvironmentTests(PostgresHost host) : CourseEnvironmentTests(host), IClassFixture<PostgresHost>;
