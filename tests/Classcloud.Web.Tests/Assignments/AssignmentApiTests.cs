using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Classcloud.Web.Tests.Assignments.AssignmentKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// The assignment API without an engine, on both databases: validation with clear problems, what students
/// see (no hidden tests, no after-due tests before the due time, no unopened assignments), extensions,
/// grading overrides, release, and the gradebook CSV (BOM, formulas escaped).
/// </summary>
public abstract class AssignmentApiTests(ClasscloudHost host)
{
    [Fact]
    public async Task Bad_bodies_are_refused_with_a_reason()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        async Task<string> RefusedAsync(object body)
        {
            var response = await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/assignments", body);
            return (await response.ProblemAsync(HttpStatusCode.BadRequest)).Detail!;
        }
        var now = DateTimeOffset.UtcNow;
        Assert.Contains("title", await RefusedAsync(new { title = "", dueAt = now.AddDays(1) }), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("due", await RefusedAsync(new { title = "T", opensAt = now, dueAt = now.AddDays(-1) }), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("language", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), language = "cobol" }), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("../x", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), starterFiles = new[] { new { path = "../x", content = "" } } }), StringComparison.Ordinal);
        Assert.Contains("/etc/passwd", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), starterFiles = new[] { new { path = "/etc/passwd", content = "" } } }), StringComparison.Ordinal);
        Assert.Contains("regular expression", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), tests = new[] { new { expectedStdout = "(", compare = "regex" } } }), StringComparison.Ordinal);
        Assert.Contains("time limit", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), tests = new[] { new { timeLimitMs = 10 } } }), StringComparison.Ordinal);
        Assert.Contains("until", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), latePolicy = new { kind = "cutoff" } }), StringComparison.Ordinal);
        Assert.Contains("slug", await RefusedAsync(new { title = "T", slug = "Bad Slug", dueAt = now.AddDays(1) }), StringComparison.Ordinal);
        var many = Enumerable.Range(0, 101).Select(i => new { path = $"f{i}.txt", content = "" }).ToArray();
        Assert.Contains("100", await RefusedAsync(new { title = "T", dueAt = now.AddDays(1), starterFiles = many }), StringComparison.Ordinal);
        await CreateAsync(cast.Owner, course.Id, Body("Sum", slug: "sum"));
        var clash = await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/assignments", Body("Sum again", slug: "sum"));
        Assert.Contains("sum", (await clash.ProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Students_see_open_assignments_without_hidden_tests_and_their_own_submissions_only()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var id = await CreateAsync(cast.Owner, course.Id, Body("덧셈 과제"));
        var future = await CreateAsync(cast.Owner, course.Id, Body("Later", opensAt: DateTimeOffset.UtcNow.AddDays(1), dueAt: DateTimeOffset.UtcNow.AddDays(2)));

        var mine = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}/assignments"));
        var one = Assert.Single(mine.EnumerateArray());
        Assert.Equal(id, one.GetProperty("id").GetInt64());
        Assert.Equal("open", one.GetProperty("state").GetString());
        Assert.StartsWith("assignment-", one.GetProperty("slug").GetString(), StringComparison.Ordinal); // a Korean title gets a typeable folder name
        var tests = one.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["small", "later"], tests.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("1 2\n", tests[0].GetProperty("stdin").GetString());
        Assert.Equal(JsonValueKind.Null, tests[1].GetProperty("expectedStdout").ValueKind); // after the due time only
        Assert.Equal(10, one.GetProperty("maxPoints").GetInt32());
        await (await cast.Member.Client.GetAsync($"/api/v1/assignments/{future}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, (await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}/assignments"))).GetArrayLength());
        Assert.Equal(3, (await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/assignments/{id}"))).GetProperty("tests").GetArrayLength());

        // No course workspace: "submit now" says so.
        var submit = await cast.Member.Client.PostAsync($"/api/v1/assignments/{id}/submissions", null);
        Assert.Contains("workspace", (await submit.ProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);

        var memberSubmission = await SubmissionAsync(host, id, cast.Member.Id, new Dictionary<string, string> { ["main.sh"] = "echo 3\n" }, score: 7);
        await SubmissionAsync(host, id, cast.Author.Id, new Dictionary<string, string> { ["main.sh"] = "echo 4\n" }, score: 2);
        var own = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/assignments/{id}/submissions"));
        var summary = Assert.Single(own.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("score").ValueKind); // not released yet
        Assert.Equal(2, (await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/assignments/{id}/submissions"))).GetArrayLength());
        Assert.Equal("echo 3\n", await cast.Member.Client.GetStringAsync($"/api/v1/submissions/{memberSubmission}/files/main.sh"));
        await (await cast.Author.Client.GetAsync($"/api/v1/submissions/{memberSubmission}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await cast.Member.Client.GetAsync($"/api/v1/submissions/{memberSubmission}/files/../../etc/passwd")).ProblemAsync(HttpStatusCode.NotFound);

        var graded = await Api.OkAsync(cast.CoEducator.Client.PutAsJsonAsync($"/api/v1/submissions/{memberSubmission}/grade", new { @override = 9.5, feedback = "잘했어요" }));
        Assert.Equal(9.5, graded.GetProperty("summary").GetProperty("finalScore").GetDouble());
        await (await cast.Owner.Client.PutAsJsonAsync($"/api/v1/submissions/{memberSubmission}/grade", new { @override = -1 })).ProblemAsync(HttpStatusCode.BadRequest);
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/assignments/{id}/release", null));
        var released = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/submissions/{memberSubmission}"));
        Assert.Equal(9.5, released.GetProperty("summary").GetProperty("finalScore").GetDouble());
        Assert.Equal("잘했어요", released.GetProperty("feedback").GetString());
    }

    [Fact]
    public async Task Extensions_move_one_students_due_time()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var due = DateTimeOffset.UtcNow.AddDays(2);
        var id = await CreateAsync(cast.Owner, course.Id, Body("Extended", dueAt: due));
        var later = due.AddDays(1);
        await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/assignments/{id}/extensions/{cast.Member.Id}", new { dueAt = later }));
        var member = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/assignments/{id}"));
        Assert.Equal(later.UtcDateTime, member.GetProperty("myDueAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        var author = await Api.OkAsync(cast.Author.Client.GetAsync($"/api/v1/assignments/{id}"));
        Assert.Equal(due.UtcDateTime, author.GetProperty("myDueAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        await (await cast.Owner.Client.PutAsJsonAsync($"/api/v1/assignments/{id}/extensions/{cast.Member.Id}", new { dueAt = due.AddDays(-1) })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await cast.Owner.Client.PutAsJsonAsync($"/api/v1/assignments/{id}/extensions/{cast.Outsider.Id}", new { dueAt = later })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Gradebook_is_utf8_with_bom_and_escapes_formulas()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var id = await CreateAsync(cast.Owner, course.Id, Body("=HYPERLINK(\"http://x\")"));
        await SubmissionAsync(host, id, cast.Member.Id, new Dictionary<string, string> { ["main.sh"] = "x" }, score: 4);
        await SubmissionAsync(host, id, cast.Member.Id, new Dictionary<string, string> { ["main.sh"] = "y" }, score: 6); // the latest counts
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == cast.Classmate.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "=cmd|' /C calc'!A0")));
        using var response = await cast.Owner.Client.GetAsync($"/api/v1/courses/{course.Id}/gradebook.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("'=cmd|", text, StringComparison.Ordinal);
        var memberLine = text.Split('\n').Single(l => l.Contains(cast.Member.Email, StringComparison.Ordinal));
        Assert.EndsWith(",6,6", memberLine.TrimEnd('\r'), StringComparison.Ordinal);
    }
}

public sealed class SqliteAssignmentApiTests(SqliteHost host) : AssignmentApiTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAssignmentApiTests(PostgresHost host) : AssignmentApiTests(host), IClassFixture<PostgresHost>;
