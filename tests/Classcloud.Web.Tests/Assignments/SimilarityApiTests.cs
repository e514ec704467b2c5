using System.Net;
using System.Text.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using static Classcloud.Web.Tests.Assignments.AssignmentKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// <c>GET /api/v1/assignments/{id}/similarity</c> on both databases: the latest submission of each student is
/// compared, the copied pair comes first with its lines on both sides, the starter file's code does not count,
/// and a bad limit is a 400.
/// </summary>
public abstract class SimilarityApiTests(ClasscloudHost host)
{
    const string Starter = "import sys\n\ndef read_numbers():\n    return [int(x) for x in sys.stdin.read().split()]\n\n# write your solution below\n";

    const string Solution = """
        def median(values):
            ordered = sorted(values)
            middle = len(ordered) // 2
            if len(ordered) % 2 == 1:
                return ordered[middle]
            return (ordered[middle - 1] + ordered[middle]) / 2

        numbers = read_numbers()
        print("median", median(numbers))
        print("spread", max(numbers) - min(numbers))
        """;

    /// <summary>The same solution, every name changed and comments added.</summary>
    const string Copy = """
        def mid(xs):   # my own helper
            s = sorted(xs)
            h = len(s) // 2
            if len(s) % 2 == 1:
                return s[h]
            # even: mean of the two middle ones
            return (s[h - 1] + s[h]) / 2

        nums = read_numbers()
        print('median:', mid(nums))
        print('range:', max(nums) - min(nums))
        """;

    const string Own = """
        counts = {}
        for word in sys.stdin.read().split():
            counts[word] = counts.get(word, 0) + 1
        for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"{word}: {count}")
        """;

    [Fact]
    public async Task Educators_get_the_copied_pair_first_with_the_matching_lines()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var body = JsonSerializer.SerializeToElement(Body("Median", language: "python"));
        var assignment = await CreateAsync(cast.Owner, course.Id, With(body, "starterFiles", new[] { new { path = "main.py", content = Starter } }));
        // The member's older submission was a copy too; only the latest one (their own work) counts.
        await SubmissionAsync(host, assignment, cast.Member.Id, new Dictionary<string, string> { ["main.py"] = Starter + Copy });
        var own = await SubmissionAsync(host, assignment, cast.Member.Id, new Dictionary<string, string> { ["main.py"] = Starter + Own, ["notes.txt"] = Solution });
        var original = await SubmissionAsync(host, assignment, cast.Author.Id, new Dictionary<string, string> { ["main.py"] = Starter + Solution });
        var copied = await SubmissionAsync(host, assignment, cast.Classmate.Id, new Dictionary<string, string> { ["src/answer.py"] = Starter + Copy });

        var report = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/assignments/{assignment}/similarity"));
        Assert.Equal(3, report.GetProperty("submissions").GetInt32());
        var pairs = report.GetProperty("pairs").EnumerateArray().ToList();
        var top = Assert.Single(pairs);
        var (left, right) = (top.GetProperty("left"), top.GetProperty("right"));
        Assert.Equal([original, copied], new[] { left.GetProperty("submissionId").GetInt64(), right.GetProperty("submissionId").GetInt64() });
        Assert.DoesNotContain(own, pairs.SelectMany(p => new[] { p.GetProperty("left").GetProperty("submissionId").GetInt64(), p.GetProperty("right").GetProperty("submissionId").GetInt64() }));
        Assert.True(top.GetProperty("score").GetDouble() > 60, top.ToString());
        Assert.False(string.IsNullOrEmpty(right.GetProperty("userName").GetString()));
        // The solution starts on line 7, after the six starter lines: the marks cover it, and start no earlier than the starter's
        // last line of code (line 4), whose k-grams reach into the solution.
        var range = Assert.Single(left.GetProperty("ranges").EnumerateArray());
        Assert.Equal("main.py", range.GetProperty("path").GetString());
        Assert.InRange(range.GetProperty("from").GetInt32(), 4, 7);
        Assert.True(range.GetProperty("to").GetInt32() >= 14, range.ToString());
        Assert.Equal("src/answer.py", right.GetProperty("ranges")[0].GetProperty("path").GetString());

        var limited = await cast.Owner.Client.GetAsync($"/api/v1/assignments/{assignment}/similarity?limit=0");
        Assert.Contains("limit", (await limited.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await cast.Member.Client.GetAsync($"/api/v1/assignments/{assignment}/similarity")).StatusCode);
    }

    static JsonElement With(JsonElement body, string name, object value)
    {
        var map = body.Deserialize<Dictionary<string, JsonElement>>()!;
        map[name] = JsonSerializer.SerializeToElement(value);
        return JsonSerializer.SerializeToElement(map);
    }
}

public sealed class SqliteSimilarityApiTests(SqliteHost host) : SimilarityApiTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresSimilarityApiTests(PostgresHost host) : SimilarityApiTests(host), IClassFixture<PostgresHost>;
