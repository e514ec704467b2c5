using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using static Classcloud.Web.Tests.Assignments.AssignmentKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// Manual grading through the API on both databases: a rubric on the assignment (validated, kept by position
/// when edited), ticks per submission added to the test score, line comments, the old grade body still working,
/// and the student seeing none of it before the release and all of it after.
/// </summary>
public abstract class GradingApiTests(ClasscloudHost host)
{
    [Fact]
    public async Task Rubric_ticks_and_comments_reach_the_student_only_after_release()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var body = With(JsonSerializer.SerializeToElement(Body("Graded by hand")), "rubric",
            new object[] { new { text = "Readable names", points = 2 }, new { text = "Off-by-one in the loop", points = -1.5 } });
        var created = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/assignments", body));
        var assignment = created.GetProperty("id").GetInt64();
        var items = created.GetProperty("rubric").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(2, items.Length);

        var bad = await cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/assignments",
            With(JsonSerializer.SerializeToElement(Body("Bad rubric")), "rubric", new object[] { new { text = "ok", points = 1 }, new { text = "", points = 1 } }));
        Assert.Contains("Rubric item 2", (await bad.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);

        var submission = await SubmissionAsync(host, assignment, cast.Member.Id, new Dictionary<string, string> { ["src/main.sh"] = "read a b\necho $((a + b))\n" }, score: 5);
        var graded = await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/submissions/{submission}/grade", new { feedback = "Clear work.", rubric = items }));
        Assert.Equal(0.5, graded.GetProperty("rubricPoints").GetDouble());
        Assert.Equal(5.5, graded.GetProperty("summary").GetProperty("finalScore").GetDouble());
        var unknown = await cast.Owner.Client.PutAsJsonAsync($"/api/v1/submissions/{submission}/grade", new { rubric = new[] { items[0], 999_999 } });
        Assert.Contains("999999", (await unknown.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);

        var comment = await Api.CreatedAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/submissions/{submission}/comments",
            new { path = "src/main.sh", line = 2, text = "Quote the expansion." }));
        Assert.Equal(2, comment.GetProperty("line").GetInt32());
        var noFile = await cast.Owner.Client.PostAsJsonAsync($"/api/v1/submissions/{submission}/comments", new { path = "../etc/passwd", line = 1, text = "x" });
        Assert.Contains("../etc/passwd", (await noFile.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        var noLine = await cast.Owner.Client.PostAsJsonAsync($"/api/v1/submissions/{submission}/comments", new { path = "src/main.sh", line = 0, text = "x" });
        Assert.Contains("line", (await noLine.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);

        // Before the release the student sees the rubric's items but not the ticks, the comments, the feedback or the score.
        var hidden = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/submissions/{submission}"));
        Assert.All(hidden.GetProperty("rubric").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("checked").ValueKind));
        Assert.Empty(hidden.GetProperty("comments").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("feedback").ValueKind);
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("summary").GetProperty("finalScore").ValueKind);
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("rubricPoints").ValueKind);

        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/assignments/{assignment}/release", null));
        var shown = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/submissions/{submission}"));
        Assert.All(shown.GetProperty("rubric").EnumerateArray(), r => Assert.True(r.GetProperty("checked").GetBoolean()));
        Assert.Equal("Quote the expansion.", Assert.Single(shown.GetProperty("comments").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal("Clear work.", shown.GetProperty("feedback").GetString());
        Assert.Equal(5.5, shown.GetProperty("summary").GetProperty("finalScore").GetDouble());

        // Editing the rubric keeps the ticks by position; the removed item's points leave the score.
        var edited = With(JsonSerializer.SerializeToElement(Body("Graded by hand")), "rubric", new object[] { new { text = "Readable, consistent names", points = 3 } });
        var after = await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/assignments/{assignment}", With(edited, "tests", null)));
        Assert.Equal(items[0], Assert.Single(after.GetProperty("rubric").EnumerateArray()).GetProperty("id").GetInt64());
        var regraded = await Api.OkAsync(cast.Owner.Client.GetAsync($"/api/v1/submissions/{submission}"));
        Assert.Equal(8, regraded.GetProperty("summary").GetProperty("finalScore").GetDouble());

        // The old body (override and feedback only) still works and leaves the ticks alone; the override wins.
        var overridden = await Api.OkAsync(cast.Owner.Client.PutAsJsonAsync($"/api/v1/submissions/{submission}/grade", new { @override = 9.5, feedback = "ok" }));
        Assert.Equal(9.5, overridden.GetProperty("summary").GetProperty("finalScore").GetDouble());
        Assert.Equal(3, overridden.GetProperty("rubricPoints").GetDouble());
        var csv = await cast.Owner.Client.GetStringAsync($"/api/v1/courses/{course.Id}/gradebook.csv");
        Assert.Contains("9.5", csv, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await cast.Owner.Client.DeleteAsync($"/api/v1/submissions/{submission}/comments/{comment.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cast.Owner.Client.DeleteAsync($"/api/v1/submissions/{submission}/comments/{comment.GetProperty("id").GetInt64()}")).StatusCode);
    }

    static JsonElement With(JsonElement body, string name, object? value)
    {
        var map = body.Deserialize<Dictionary<string, JsonElement>>()!;
        map[name] = JsonSerializer.SerializeToElement(value);
        return JsonSerializer.SerializeToElement(map);
    }
}

public sealed class SqliteGradingApiTests(SqliteHost host) : GradingApiTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresGradingApiTests(PostgresHost host) : GradingApiTests(host), IClassFixture<PostgresHost>;
