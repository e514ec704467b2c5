using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>
/// A course's idle minutes for its linked workspaces (issue 5 "per-course override"), set with the
/// course update (PUT /api/v1/courses/{id}) and on the settings page: who may set them, the bounds
/// (suspend 5 min..24 h, stop 5 min..7 days, suspend no longer than stop as they will apply), that a
/// refused request stores nothing, and that leaving them out goes back to the installation default.
/// The watcher's use of them is in Workspaces/IdleWatcherEngineTests.
/// </summary>
public abstract class CourseIdleTests(ClasscloudHost host)
{
    [Fact]
    public async Task Educators_of_the_course_and_admins_set_idle_minutes_and_nobody_else_can()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(cast.Owner, course.Id, 20, 90)).StatusCode);
        Assert.Equal("20/90", await StoredAsync(course.Id));
        var dto = await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}"));
        Assert.Equal((20, 90), (dto.GetProperty("idleSuspendMinutes").GetInt32(), dto.GetProperty("idleStopMinutes").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(cast.CoEducator, course.Id, 25, 95)).StatusCode);
        Assert.Equal("25/95", await StoredAsync(course.Id));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(cast.Admin, course.Id, 30, 100)).StatusCode);
        Assert.Equal("30/100", await StoredAsync(course.Id));

        foreach (var (who, status) in new[]
        {
            (cast.Member, HttpStatusCode.Forbidden), (cast.Outsider, HttpStatusCode.Forbidden),
            (cast.OtherEducator, HttpStatusCode.Forbidden), (cast.Anonymous, HttpStatusCode.Unauthorized),
        })
        {
            using var response = await PutAsync(who, course.Id, 6, 7);
            Assert.Equal(status, response.StatusCode);
        }
        Assert.Equal("30/100", await StoredAsync(course.Id));
    }

    [Theory]
    [InlineData(4, 60, "between 5 and 1440 minutes")]
    [InlineData(1441, 10_080, "between 5 and 1440 minutes")]
    [InlineData(10, 4, "between 5 and 10080 minutes")]
    [InlineData(10, 10_081, "between 5 and 10080 minutes")]
    [InlineData(30, 20, "(30 min) must not be longer than the idle time before stopping (20 min)")]
    [InlineData(120, null, "(120 min) must not be longer than the idle time before stopping (60 min)")] // the installation's 60
    [InlineData(null, 10, "(15 min) must not be longer than the idle time before stopping (10 min)")] // the installation's 15
    public async Task Invalid_idle_minutes_are_refused_with_a_clear_problem_and_nothing_is_stored(int? suspend, int? stop, string detail)
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/courses/{course.Id}",
            new { name = "Idle bounds", description = "2026-1", idleSuspendMinutes = 20, idleStopMinutes = 90 }));

        using var response = await cast.Owner.Client.PutAsJsonAsync($"/api/v1/courses/{course.Id}",
            new { name = "Renamed by a bad request", description = "2026-1", idleSuspendMinutes = suspend, idleStopMinutes = stop });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
        Assert.Equal("20/90", await StoredAsync(course.Id));
        Assert.Equal("Idle bounds", await host.WithDbAsync(db => db.Courses.Where(c => c.Id == course.Id).Select(c => c.Name).SingleAsync()));
    }

    [Fact]
    public async Task The_bounds_themselves_are_accepted_and_leaving_the_minutes_out_restores_the_installation_default()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(cast.Owner, course.Id, 5, 5)).StatusCode);
        Assert.Equal("5/5", await StoredAsync(course.Id));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(cast.Owner, course.Id, 1440, 10_080)).StatusCode);
        Assert.Equal("1440/10080", await StoredAsync(course.Id));

        await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/courses/{course.Id}", new { name = "Defaults again", description = "2026-1" }));
        Assert.Equal("/", await StoredAsync(course.Id));
        var dto = await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, dto.GetProperty("idleSuspendMinutes").ValueKind);
    }

    [Fact]
    public async Task The_settings_page_shows_and_saves_idle_minutes_in_Korean_too_and_refuses_bad_ones()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync("Idle page course");
        var page = $"/courses/{course.Id}/settings";
        var english = await cast.Owner.Client.HtmlAsync(page);
        Assert.Contains("data-testid=\"course-idle-suspend\"", english, StringComparison.Ordinal);
        Assert.Contains("Default: 15", english, StringComparison.Ordinal);
        var korean = await (await cast.Owner.Client.SendAsync(PageForms.Korean("GET", page))).Content.ReadAsStringAsync();
        Assert.Contains("유휴 워크스페이스", korean, StringComparison.Ordinal);

        var saved = await cast.Owner.Client.SubmitAsync(page, page, Fields("Idle page course", "12", "45"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("12/45", await StoredAsync(course.Id));
        Assert.Contains("value=\"12\"", await cast.Owner.Client.HtmlAsync(page), StringComparison.Ordinal);

        var refused = await cast.Owner.Client.SubmitAsync(page, page, Fields("Idle page course", "50", "45"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("must not be longer than", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("12/45", await StoredAsync(course.Id));

        var cleared = await cast.Owner.Client.SubmitAsync(page, page, Fields("Idle page course", "", ""));
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Equal("/", await StoredAsync(course.Id));

        var denied = await cast.Member.Client.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/denied", denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    static (string, string)[] Fields(string name, string suspend, string stop) =>
    [
        ("Form.Name", name), ("Form.Description", "2026-1"), ("Form.JoinPolicy", "approval"),
        ("Form.IdleSuspendMinutes", suspend), ("Form.IdleStopMinutes", stop),
    ];

    static Task<HttpResponseMessage> PutAsync(TestUser user, long courseId, int suspend, int stop) =>
        user.Client.PutAsJsonAsync($"/api/v1/courses/{courseId}",
            new { name = "Idle course", description = "2026-1", idleSuspendMinutes = suspend, idleStopMinutes = stop });

    /// <summary>The stored minutes as "suspend/stop", empty for the installation default.</summary>
    async Task<string> StoredAsync(long courseId)
    {
        var row = await host.WithDbAsync(db => db.Courses.Where(c => c.Id == courseId)
            .Select(c => new { c.IdleSuspendMinutes, c.IdleStopMinutes }).SingleAsync());
        return $"{row.IdleSuspendMinutes}/{row.IdleStopMinutes}";
    }
}

public sealed class SqliteCourseIdleTests(SqliteHost host) : CourseIdleTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseIdleTests(PostgresHost host) : CourseIdleTests(host), IClassFixture<PostgresHost>;
