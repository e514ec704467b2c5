using System.Net.Http.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Every course-environment route × every kind of person of a course (the course matrix's cast) with the
/// exact status. Each person publishes their own snapshot (publishing someone else's is a 400, tested in
/// CourseEnvironmentTests); routes that remove act on an environment made for that one call.
/// </summary>
public abstract class CourseEnvironmentMatrixTests(ClasscloudHost host)
{
    //                 Anonymous Outsider Applicant Member Author Owner CoEducator OtherEducator Admin
    const string Teachers = "401 403 403 403 403 200 200 403 200";
    const string Members = "401 403 403 200 200 200 200 403 200";

    sealed record Row(string Method, string Pattern, Func<Setup, CourseRole, Task<(string Path, object? Body)>> Call, string Expected);

    sealed record Setup(CourseCast Cast, long Course, long Environment, Dictionary<CourseRole, long> Snapshots, Func<Task<long>> Fresh);

    static readonly Row[] Rows =
    [
        new("GET", "/api/v1/courses/{courseId:long}/environments", (s, _) => P($"/api/v1/courses/{s.Course}/environments"), Members),
        new("POST", "/api/v1/courses/{courseId:long}/environments", (s, r) =>
            P($"/api/v1/courses/{s.Course}/environments", new { name = "Env", description = "d", snapshotId = s.Snapshots.GetValueOrDefault(r, 1) }),
            "401 403 403 403 403 201 201 403 201"),
        new("PUT", "/api/v1/courses/{courseId:long}/environments/{id:long}", (s, _) =>
            P($"/api/v1/courses/{s.Course}/environments/{s.Environment}", new { name = "Renamed", description = "d" }), Teachers),
        new("DELETE", "/api/v1/courses/{courseId:long}/environments/{id:long}", async (s, r) =>
            // People who may remove get one made for them; the others try the shared one (which must survive).
            ($"/api/v1/courses/{s.Course}/environments/{(r is CourseRole.Owner or CourseRole.CoEducator or CourseRole.Admin ? await s.Fresh() : s.Environment)}", null), "401 403 403 403 403 204 204 403 204"),
        new("POST", "/api/v1/courses/{courseId:long}/environments/{id:long}/workspaces", (s, _) =>
            P($"/api/v1/courses/{s.Course}/environments/{s.Environment}/workspaces"), "401 403 403 201 201 201 201 403 201"),
        new("GET", "/api/v1/courses/{courseId:long}/environments/{id:long}/provisions", (s, _) =>
            P($"/api/v1/courses/{s.Course}/environments/{s.Environment}/provisions"), Teachers),
        // Issue 17: the course's workspaces, for its members (what each one sees is CourseWorkspacesTests').
        new("GET", "/api/v1/courses/{courseId:long}/workspaces", (s, _) => P($"/api/v1/courses/{s.Course}/workspaces"), Members),
        // Issue 17: the teacher's class view, for the course's educators and administrators only.
        new("GET", "/api/v1/courses/{courseId:long}/class-view", (s, _) => P($"/api/v1/courses/{s.Course}/class-view"), Teachers),
    ];

    static Task<(string, object?)> P(string path, object? body = null) => Task.FromResult<(string, object?)>((path, body));

    public static TheoryData<string> Routes => new(Rows.Select(r => $"{r.Method} {r.Pattern}"));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_answers_every_role_with_the_exact_status(string route)
    {
        var row = Rows.Single(r => $"{r.Method} {r.Pattern}" == route);
        var setup = await SetupAsync();
        var expected = row.Expected.Split(' ').Select(int.Parse).ToArray();
        var failures = new List<string>();
        foreach (var role in Enum.GetValues<CourseRole>())
        {
            var (path, body) = await row.Call(setup, role);
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await setup.Cast[role].Client.SendAsync(request);
            if ((int)response.StatusCode != expected[(int)role])
            {
                var text = await response.Content.ReadAsStringAsync();
                failures.Add($"{role}: expected {expected[(int)role]}, got {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
            }
        }
        Assert.True(failures.Count == 0, $"{route}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_environment_route_has_a_row()
    {
        var mapped = RouteTable.Of(host).Where(r => FeatureMatrices.IsEnvironmentRoute(r.Pattern)).Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(mapped);
        Assert.Equal(mapped, Rows.Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal).ToList());
    }

    async Task<Setup> SetupAsync()
    {
        var cast = await CourseCast.ForAsync(host);
        // Several one-click workspaces per person over the class: the quota is not what this matrix tests.
        await Api.OkAsync(cast.Admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
            new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 1000, maxCoursesPerEducator = 10_000, maxCoursesPerStudent = 10_000 }));
        var course = (await cast.NewCourseAsync()).Id;
        var snapshots = new Dictionary<CourseRole, long>();
        foreach (var role in Enum.GetValues<CourseRole>().Where(r => r != CourseRole.Anonymous))
        {
            snapshots[role] = await WorkspaceRows.SnapshotAsync(host, await WorkspaceRows.AddAsync(host, cast[role].Id));
        }
        async Task<long> FreshAsync() =>
            (await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course}/environments",
                new { name = "Env", description = "", snapshotId = snapshots[CourseRole.Owner] }))).GetProperty("id").GetInt64();
        return new Setup(cast, course, await FreshAsync(), snapshots, FreshAsync);
    }
}

public sealed class SqliteCourseEnvironmentMatrixTests(SqliteHost host) : CourseEnvironmentMatrixTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresCourseEnvironmentMatrixTests(PostgresHost host) : CourseEnvironmentMatrixTests(host), IClassFixture<PostgresHost>;
