using System.Collections.Concurrent;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Courses;

/// <summary>
/// Every course, board, comment, attachment and notification route × every kind of person
/// (issue 6 tests), with the exact status each one gets. Routes that change or remove things run
/// on a fresh course per person, so one answer never depends on another.
/// </summary>
public abstract class CourseAuthorizationMatrixTests(ClasscloudHost host)
{
    //                 Anonymous Outsider Applicant Member Author Owner CoEducator OtherEducator Admin
    const string AnyoneSignedIn = "401 200 200 200 200 200 200 200 200";
    const string Teachers = "401 403 403 403 403 200 200 403 200";
    const string Members = "401 403 403 200 200 200 200 403 200";
    const string MembersPrivate = "401 403 403 404 200 200 200 403 200";

    static readonly MatrixRow[] Matrix =
    [
        new("create course", "POST", (_, _) => "/api/v1/courses", (_, _) => Json(new { name = "New course", description = "2026-2" }), "401 403 403 403 403 201 201 201 201"),
        new("search courses", "GET", (_, _) => "/api/v1/courses?q=Course", null, AnyoneSignedIn),
        new("my courses", "GET", (_, _) => "/api/v1/courses?mine=true", null, AnyoneSignedIn),
        new("get course", "GET", (c, _) => $"/api/v1/courses/{c.Id}", null, AnyoneSignedIn),
        new("update course", "PUT", (c, _) => $"/api/v1/courses/{c.Id}", (_, _) => Json(new { name = "Renamed course", description = "2026-1" }), Teachers),
        new("update course idle times", "PUT", (c, _) => $"/api/v1/courses/{c.Id}", (_, _) => Json(new { name = "Renamed course", description = "2026-1", idleSuspendMinutes = 10, idleStopMinutes = 30 }), Teachers),
        new("delete course", "DELETE", (c, _) => $"/api/v1/courses/{c.Id}", null, "401 403 403 403 403 204 403 403 204", Fresh: true),
        new("archive course", "POST", (c, _) => $"/api/v1/courses/{c.Id}/archive", (_, _) => Json(new { stopWorkspaces = false }), "401 403 403 403 403 200 200 403 200", Fresh: true),
        new("reopen course", "DELETE", (c, _) => $"/api/v1/courses/{c.Id}/archive", null, Teachers),
        new("copy course", "POST", (c, _) => $"/api/v1/courses/{c.Id}/copy", (_, _) => Json(new { name = "Next term", shiftDays = 182 }), "401 403 403 403 403 201 201 403 201"),
        new("apply", "POST", (c, _) => $"/api/v1/courses/{c.Id}/applications", null, "401 201 409 409 409 409 409 201 201", Fresh: true),
        new("list applications", "GET", (c, _) => $"/api/v1/courses/{c.Id}/applications", null, Teachers),
        new("accept application", "POST", (c, _) => $"/api/v1/courses/{c.Id}/applications/{c.ApplicationId}/accept", null, Teachers, Fresh: true),
        new("reject application", "POST", (c, _) => $"/api/v1/courses/{c.Id}/applications/{c.ApplicationId}/reject", null, Teachers, Fresh: true),
        new("list members", "GET", (c, _) => $"/api/v1/courses/{c.Id}/members", null, Members),
        new("export members", "GET", (c, _) => $"/api/v1/courses/{c.Id}/members.csv", null, Teachers),
        new("remove member", "DELETE", (c, cast) => $"/api/v1/courses/{c.Id}/members/{cast.Classmate.Id}", null, "401 403 403 403 403 204 204 403 204", Fresh: true),
        new("leave course", "DELETE", (c, _) => $"/api/v1/courses/{c.Id}/members/me", null, "401 404 204 204 204 409 204 404 404", Fresh: true),
        new("add co-educator", "POST", (c, _) => $"/api/v1/courses/{c.Id}/coeducators", (_, cast) => Json(new { userId = cast.OtherEducator.Id }), "401 403 403 403 403 201 403 403 201", Fresh: true),
        new("remove co-educator", "DELETE", (c, cast) => $"/api/v1/courses/{c.Id}/coeducators/{cast.CoEducator.Id}", null, "401 403 403 403 403 204 204 403 204", Fresh: true),
        new("roster preview", "POST", (c, _) => $"/api/v1/courses/{c.Id}/roster?dryRun=true", (_, _) => Api.Csv("email,name\nnew-student@school.ac.kr,New\n"), Teachers),
        new("list questions", "GET", (c, _) => $"/api/v1/courses/{c.Id}/boards/questions/posts", null, Members),
        new("unknown board", "GET", (c, _) => $"/api/v1/courses/{c.Id}/boards/gossip/posts", null, "401 404 404 404 404 404 404 404 404"),
        new("write notice", "POST", (c, _) => $"/api/v1/courses/{c.Id}/boards/notice/posts", (_, _) => Json(new { title = "N", body = "b" }), "401 403 403 403 403 201 201 403 201"),
        new("write question", "POST", (c, _) => $"/api/v1/courses/{c.Id}/boards/questions/posts", (_, _) => Json(new { title = "Q", body = "b", visibility = "educators" }), "401 403 403 201 201 201 201 403 201"),
        new("write free post", "POST", (c, _) => $"/api/v1/courses/{c.Id}/boards/free/posts", (_, _) => Json(new { title = "F", body = "b", visibility = "everyone" }), "401 403 403 201 201 201 201 403 201"),
        new("read post", "GET", (c, _) => $"/api/v1/posts/{c.EveryonePost}", null, Members),
        new("read private question", "GET", (c, _) => $"/api/v1/posts/{c.EducatorsPost}", null, MembersPrivate),
        new("edit question", "PUT", (c, _) => $"/api/v1/posts/{c.EveryonePost}", (_, _) => Json(new { title = "Everyone question", body = "edited", visibility = "everyone" }), "401 403 403 403 200 403 403 403 403"),
        new("edit private question", "PUT", (c, _) => $"/api/v1/posts/{c.EducatorsPost}", (_, _) => Json(new { title = "Private question", body = "edited", visibility = "educators" }), "401 403 403 404 200 403 403 403 403"),
        new("edit notice", "PUT", (c, _) => $"/api/v1/posts/{c.Notice}", (_, _) => Json(new { title = "Notice", body = "edited" }), Teachers),
        new("delete question", "DELETE", (c, _) => $"/api/v1/posts/{c.EveryonePost}", null, "401 403 403 403 204 204 204 403 204", Fresh: true),
        new("delete notice", "DELETE", (c, _) => $"/api/v1/posts/{c.Notice}", null, "401 403 403 403 403 204 204 403 204", Fresh: true),
        new("hide post", "POST", (c, _) => $"/api/v1/posts/{c.EveryonePost}/hide", null, Teachers, Fresh: true),
        new("unhide post", "POST", (c, _) => $"/api/v1/posts/{c.EveryonePost}/unhide", null, Teachers),
        new("read comments", "GET", (c, _) => $"/api/v1/posts/{c.EveryonePost}/comments?page=1", null, Members),
        new("read private comments", "GET", (c, _) => $"/api/v1/posts/{c.EducatorsPost}/comments", null, MembersPrivate),
        new("comment", "POST", (c, _) => $"/api/v1/posts/{c.EveryonePost}/comments", (_, _) => Json(new { body = "c" }), "401 403 403 201 201 201 201 403 201"),
        new("comment on private question", "POST", (c, _) => $"/api/v1/posts/{c.EducatorsPost}/comments", (_, _) => Json(new { body = "c" }), "401 403 403 404 201 201 201 403 201"),
        new("reply to comment", "POST", (c, _) => $"/api/v1/posts/{c.EveryonePost}/comments", (c, _) => Json(new { body = "r", parentId = c.Comment }), "401 403 403 201 201 201 201 403 201"),
        new("delete comment", "DELETE", (c, _) => $"/api/v1/comments/{c.Comment}", null, "401 403 403 403 204 204 204 403 204", Fresh: true),
        new("attach to question", "POST", (c, _) => $"/api/v1/posts/{c.EveryonePost}/attachments", (_, _) => Api.File("a.txt", "x"u8.ToArray()), "401 403 403 403 201 403 403 403 403"),
        new("attach to notice", "POST", (c, _) => $"/api/v1/posts/{c.Notice}/attachments", (_, _) => Api.File("a.txt", "x"u8.ToArray()), "401 403 403 403 403 201 201 403 201"),
        new("download attachment", "GET", (c, _) => $"/api/v1/attachments/{c.Attachment}", null, Members),
        new("download private attachment", "GET", (c, _) => $"/api/v1/attachments/{c.PrivateAttachment}", null, MembersPrivate),
        new("delete attachment", "DELETE", (c, _) => $"/api/v1/attachments/{c.Attachment}", null, "401 403 403 403 204 204 204 403 204", Fresh: true),
        new("notifications", "GET", (_, _) => "/api/v1/notifications?page=1", null, AnyoneSignedIn),
        new("mark notifications read", "POST", (_, _) => "/api/v1/notifications/read", (_, _) => Json(new { }), AnyoneSignedIn),
        new("admin course list", "GET", (_, _) => "/api/v1/admin/courses?q=Course", null, "401 403 403 403 403 403 403 403 200"),
        new("admin delete course", "DELETE", (c, _) => $"/api/v1/admin/courses/{c.Id}", null, "401 403 403 403 403 403 403 403 204", Fresh: true),
    ];

    static readonly ConcurrentDictionary<ClasscloudHost, Lazy<Task<CourseFixture>>> Shared = new();

    public static TheoryData<string> Routes => new(Matrix.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_answers_every_role_with_the_exact_status(string route)
    {
        var row = Matrix.Single(r => r.Name == route);
        var cast = await CourseCast.ForAsync(host);
        var shared = row.Fresh ? null : await Shared.GetOrAdd(host, _ => new Lazy<Task<CourseFixture>>(() => cast.NewCourseAsync())).Value;
        var expected = row.Expected.Split(' ').Select(int.Parse).ToArray();
        var failures = new List<string>();
        foreach (var role in Enum.GetValues<CourseRole>())
        {
            var course = shared ?? await cast.NewCourseAsync();
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path(course, cast)) { Content = row.Body?.Invoke(course, cast) };
            using var response = await cast[role].Client.SendAsync(request);
            if ((int)response.StatusCode != expected[(int)role])
            {
                var text = await response.Content.ReadAsStringAsync();
                failures.Add($"{role}: expected {expected[(int)role]}, got {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
            }
        }
        Assert.True(failures.Count == 0, $"{row.Method} {route}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_route_of_the_feature_has_a_row()
    {
        var prefixes = FeatureMatrices.CoursePrefixes;
        var placeholder = new CourseFixture(1, 1, 1, 1, 1, 1, 1, 1);
        var requests = Matrix.Select(r => (r.Method, r.Path(placeholder, RouteTable.PlaceholderCast)));
        // Course environments and assignments have their own matrices (Workspaces/CourseEnvironmentMatrixTests, Assignments/AssignmentMatrixTests).
        var uncovered = RouteTable.Uncovered(host, prefixes, requests).Where(r => !FeatureMatrices.IsEnvironmentRoute(r) && !FeatureMatrices.IsAssignmentRoute(r)).ToList();
        Assert.Empty(uncovered);
    }

    static JsonContent Json(object value) => JsonContent.Create(value);
}

public sealed record MatrixRow(string Name, string Method, Func<CourseFixture, CourseCast, string> Path, Func<CourseFixture, CourseCast, HttpContent>? Body, string Expected, bool Fresh = false);

public sealed class SqliteCourseAuthorizationMatrixTests(SqliteHost host) : CourseAuthorizationMatrixTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseAuthorizationMatrixTests(PostgresHost host) : CourseAuthorizationMatrixTests(host), IClassFixture<PostgresHost>;
