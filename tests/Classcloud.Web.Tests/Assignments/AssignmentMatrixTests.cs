using System.Collections.Concurrent;
using System.Net.Http.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using static Classcloud.Web.Tests.Assignments.AssignmentKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// Every assignment route × every kind of person of a course (the course matrix's cast: a student of another
/// course is the Outsider, an educator of another course OtherEducator) with the exact status. Member owns the
/// shared submission; Author is another student of the course. Without a course workspace, a student's
/// "submit now" gets past authorization to a 409.
/// </summary>
public abstract class AssignmentMatrixTests(ClasscloudHost host)
{
    //                 Anonymous Outsider Applicant Member Author Owner CoEducator OtherEducator Admin
    const string Teachers = "401 403 403 403 403 200 200 403 200";
    const string Members = "401 403 403 200 200 200 200 403 200";
    const string OwnSubmission = "401 403 403 200 404 200 200 403 200";

    sealed record Setup(CourseCast Cast, long Course, long Assignment, long Submission, Func<Task<long>> Fresh, Func<Task<long>> Comment);

    sealed record Row(string Method, string Pattern, Func<Setup, CourseRole, Task<(string Path, object? Body)>> Call, string Expected);

    static readonly Row[] Rows =
    [
        new("POST", "/api/v1/courses/{id:long}/assignments", (s, _) => P($"/api/v1/courses/{s.Course}/assignments", Body("New " + Guid.NewGuid().ToString("N")[..8])),
            "401 403 403 403 403 201 201 403 201"),
        new("GET", "/api/v1/courses/{id:long}/assignments", (s, _) => P($"/api/v1/courses/{s.Course}/assignments"), Members),
        new("GET", "/api/v1/courses/{id:long}/gradebook.csv", (s, _) => P($"/api/v1/courses/{s.Course}/gradebook.csv"), Teachers),
        new("GET", "/api/v1/assignments/{id:long}", (s, _) => P($"/api/v1/assignments/{s.Assignment}"), Members),
        new("PUT", "/api/v1/assignments/{id:long}", (s, _) => P($"/api/v1/assignments/{s.Assignment}", Body("Renamed", slug: "shared")), Teachers),
        new("DELETE", "/api/v1/assignments/{id:long}", async (s, r) =>
            ($"/api/v1/assignments/{(r is CourseRole.Owner or CourseRole.CoEducator or CourseRole.Admin ? await s.Fresh() : s.Assignment)}", null),
            "401 403 403 403 403 204 204 403 204"),
        new("POST", "/api/v1/assignments/{id:long}/submissions", (s, _) => P($"/api/v1/assignments/{s.Assignment}/submissions"), "401 403 403 409 409 403 403 403 403"),
        new("GET", "/api/v1/assignments/{id:long}/submissions", (s, _) => P($"/api/v1/assignments/{s.Assignment}/submissions"), Members),
        new("POST", "/api/v1/assignments/{id:long}/collect", (s, _) => P($"/api/v1/assignments/{s.Assignment}/collect"), Teachers),
        new("POST", "/api/v1/assignments/{id:long}/grade", (s, _) => P($"/api/v1/assignments/{s.Assignment}/grade"), Teachers),
        new("GET", "/api/v1/assignments/{id:long}/grade", (s, _) => P($"/api/v1/assignments/{s.Assignment}/grade"), Teachers),
        new("POST", "/api/v1/assignments/{id:long}/release", (s, _) => P($"/api/v1/assignments/{s.Assignment}/release?released=false"), Teachers),
        new("GET", "/api/v1/assignments/{id:long}/similarity", (s, _) => P($"/api/v1/assignments/{s.Assignment}/similarity"), Teachers),
        new("PUT", "/api/v1/assignments/{id:long}/extensions/{userId:long}", (s, _) =>
            P($"/api/v1/assignments/{s.Assignment}/extensions/{s.Cast.Member.Id}", new { dueAt = DateTimeOffset.UtcNow.AddDays(30) }), Teachers),
        new("GET", "/api/v1/submissions/{id:long}", (s, _) => P($"/api/v1/submissions/{s.Submission}"), OwnSubmission),
        new("GET", "/api/v1/submissions/{id:long}/files/{*path}", (s, _) => P($"/api/v1/submissions/{s.Submission}/files/src/main.sh"), OwnSubmission),
        new("POST", "/api/v1/submissions/{id:long}/comments", (s, _) => P($"/api/v1/submissions/{s.Submission}/comments", new { path = "src/main.sh", line = 1, text = "Quote the variable." }),
            "401 403 403 403 404 201 201 403 201"),
        new("DELETE", "/api/v1/submissions/{id:long}/comments/{commentId:long}", async (s, r) =>
            ($"/api/v1/submissions/{s.Submission}/comments/{(r is CourseRole.Owner or CourseRole.CoEducator or CourseRole.Admin ? await s.Comment() : 1)}", null),
            "401 403 403 403 404 204 204 403 204"),
        new("PUT", "/api/v1/submissions/{id:long}/grade", (s, _) => P($"/api/v1/submissions/{s.Submission}/grade", new { @override = 5, feedback = "ok" }),
            "401 403 403 403 404 200 200 403 200"),
    ];

    static readonly ConcurrentDictionary<ClasscloudHost, Lazy<Task<Setup>>> Shared = new();

    static Task<(string, object?)> P(string path, object? body = null) => Task.FromResult<(string, object?)>((path, body));

    public static TheoryData<string> Routes => new(Rows.Select(r => $"{r.Method} {r.Pattern}"));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_answers_every_role_with_the_exact_status(string route)
    {
        var row = Rows.Single(r => $"{r.Method} {r.Pattern}" == route);
        var setup = await Shared.GetOrAdd(host, h => new Lazy<Task<Setup>>(() => SetupAsync(h))).Value;
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
    public void Every_assignment_route_has_a_row()
    {
        var mapped = RouteTable.Of(host).Where(r => FeatureMatrices.IsAssignmentRoute(r.Pattern)).Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(mapped);
        Assert.Equal(mapped, Rows.Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal).ToList());
    }

    static async Task<Setup> SetupAsync(ClasscloudHost host)
    {
        var cast = await CourseCast.ForAsync(host);
        var course = (await cast.NewCourseAsync()).Id;
        var assignment = await CreateAsync(cast.Owner, course, Body("Shared", slug: "shared"));
        var submission = await SubmissionAsync(host, assignment, cast.Member.Id, new Dictionary<string, string> { ["src/main.sh"] = "echo hi\n" });
        return new Setup(cast, course, assignment, submission, () => CreateAsync(cast.Owner, course, Body("Doomed " + Guid.NewGuid().ToString("N")[..8])),
            async () => (await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/submissions/{submission}/comments", new { path = "src/main.sh", line = 1, text = "Doomed" })))
                .GetProperty("id").GetInt64());
    }
}

public sealed class SqliteAssignmentMatrixTests(SqliteHost host) : AssignmentMatrixTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAssignmentMatrixTests(PostgresHost host) : AssignmentMatrixTests(host), IClassFixture<PostgresHost>;
