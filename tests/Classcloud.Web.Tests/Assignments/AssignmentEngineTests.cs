using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

using static Classcloud.Web.Tests.Assignments.AssignmentEngineKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// Issue 13's slice on the real engine: the folder appears in a running and in a stopped course workspace
/// (owned by the workspace user), "submit now" takes it through a read-only helper (a link to /etc/shadow
/// stays a link), the deadline collects every student, "grade all" runs each submission in a sandbox
/// (the right answer passes, the starter fails with its output shown), and hostile submissions — an endless
/// loop, a fork bomb, a memory hog, a network probe — are each cut or contained while the next one grades normally.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class AssignmentEngineTests(EngineFixture engine) : EngineHostTests(engine, "a")
{

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:Workspaces:MemoryBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Classcloud:Assignments:GraderImage"] = EngineFixture.BaseImage,
        ["Classcloud:Assignments:CheckInterval"] = "00:00:00.250",
    };

    [Fact]
    public async Task Folder_reaches_workspaces_is_collected_read_only_and_graded_in_a_sandbox()
    {
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var educator = await Host.UserAsync(TestRole.Educator);
        var running = await Host.UserAsync(TestRole.Student);
        var stopped = await Host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Engine course", description = "2026-1" }))).GetProperty("id").GetInt64();
        foreach (var student in new[] { running, stopped })
        {
            var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
            await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));
        }
        var runningWs = await WorkspaceAsync(running, course);
        var stoppedWs = await WorkspaceAsync(stopped, course);
        await WorkspaceEngineTests.Accepted(running.Client.PostAsync($"/api/v1/workspaces/{runningWs}/start", null));
        await StateAsync(running, runningWs, "running");

        var tests = new object[]
        {
            new { name = "add", stdin = "1 2\n", expectedStdout = "3\n", compare = "trimmed", points = 4, timeLimitMs = 3000, memoryMb = 64, visibility = "visible" },
            new { name = "big", stdin = "40 2\n", expectedStdout = "42", compare = "numeric", points = 6, timeLimitMs = 3000, memoryMb = 64, visibility = "hidden" },
        };
        var id = await AssignmentKit.CreateAsync(educator, course, AssignmentKit.Body("Sum", slug: "sum", tests: tests));

        // Delivery: both workspaces, once each, the running one sees the folder at once.
        await UntilAsync(() => Host.WithDbAsync(db => db.AssignmentDeliveries.CountAsync(d => d.AssignmentId == id && d.Error == null)), n => n == 2, "deliveries");
        var workload = names.Workload(runningWs);
        Assert.Contains("# Sum", await ShAsync(workload, "cat ~/assignments/sum/README.md"), StringComparison.Ordinal);
        Assert.Equal("1000 1000\n", await ShAsync(workload, "stat -c '%u %g' ~/assignments/sum/data/input.txt"));

        // The student solves it, with a link to /etc/shadow and a hard link beside the solution, and submits now.
        await ShAsync(workload, "cd ~/assignments/sum && printf 'read a b\\necho $((a+b))\\n' > main.sh && ln -s /etc/shadow leak && ln main.sh copy.sh");
        var submitted = await Api.CreatedAsync(running.Client.PostAsync($"/api/v1/assignments/{id}/submissions", null));
        var submission = submitted.GetProperty("id").GetInt64();
        var detail = await Api.OkAsync(running.Client.GetAsync($"/api/v1/submissions/{submission}"));
        var files = detail.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
        Assert.Equal(("symlink", "/etc/shadow"), (files["leak"].GetProperty("type").GetString(), files["leak"].GetProperty("target").GetString()));
        // tar stores whichever of the two names it meets first as the file and the other as a hard link to it.
        var link = new[] { "main.sh", "copy.sh" }.Single(n => files[n].GetProperty("type").GetString() == "hardlink");
        Assert.Equal(link == "main.sh" ? "copy.sh" : "main.sh", files[link].GetProperty("target").GetString());
        Assert.Equal("read a b\necho $((a+b))\n", await running.Client.GetStringAsync($"/api/v1/submissions/{submission}/files/main.sh"));
        Assert.Equal("read a b\necho $((a+b))\n", await running.Client.GetStringAsync($"/api/v1/submissions/{submission}/files/copy.sh"));
        await (await running.Client.GetAsync($"/api/v1/submissions/{submission}/files/leak")).ProblemAsync(HttpStatusCode.NotFound);
        var contents = new Dictionary<string, string>
        {
            ["main.sh"] = "read a b\necho $((a+b))\n",
            ["copy.sh"] = "read a b\necho $((a+b))\n",
            ["README.md"] = "# Sum\n\n# Sum\nRead two numbers, print their sum.\n",
            ["data/input.txt"] = "1 2\n",
        };
        var expectedHash = SubmissionArchive.Hash(files.Values.Select(f => new SubmissionFileDto(f.GetProperty("path").GetString()!, f.GetProperty("type").GetString()!, 0,
            f.GetProperty("target").ValueKind == JsonValueKind.String ? f.GetProperty("target").GetString() : null)),
            files.Where(f => f.Value.GetProperty("type").GetString() == "file").ToDictionary(f => f.Key, f => Sha(contents[f.Key])));
        Assert.Equal(expectedHash, submitted.GetProperty("contentHash").GetString());

        // The deadline passes: every student is collected, the stopped workspace included (it stays stopped).
        await Host.WithDbAsync(db => db.Assignments.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DueAt, DateTime.UtcNow.AddSeconds(-1))));
        await UntilAsync(() => Host.WithDbAsync(db => db.Assignments.Where(a => a.Id == id).Select(a => a.CollectedAt).SingleAsync()), at => at is not null, "deadline collection");
        var all = await Api.OkAsync(educator.Client.GetAsync($"/api/v1/assignments/{id}/submissions"));
        Assert.Equal(3, all.GetArrayLength());
        var starter = all.EnumerateArray().Single(s => s.GetProperty("userId").GetInt64() == stopped.Id);
        Assert.Equal("deadline", starter.GetProperty("source").GetString());
        Assert.Equal(WorkspaceState.Stopped, (await WorkspaceRows.GetAsync(Host, stoppedWs)).State);

        // Grade all: the latest of each student. The solution passes; the starter file prints nothing.
        var queued = await Api.OkAsync(educator.Client.PostAsync($"/api/v1/assignments/{id}/grade", null));
        Assert.Equal(2, queued.GetProperty("queued").GetInt32() + queued.GetProperty("running").GetInt32() + queued.GetProperty("done").GetInt32());
        await UntilAsync(() => Api.OkAsync(educator.Client.GetAsync($"/api/v1/assignments/{id}/grade")), p => p.GetProperty("done").GetInt32() + p.GetProperty("failed").GetInt32() == 2, "grading");
        var latestOfRunning = all.EnumerateArray().Where(s => s.GetProperty("userId").GetInt64() == running.Id).Max(s => s.GetProperty("id").GetInt64());
        var good = await Api.OkAsync(educator.Client.GetAsync($"/api/v1/submissions/{latestOfRunning}"));
        Assert.Equal(10, good.GetProperty("summary").GetProperty("score").GetDouble());
        var bad = await Api.OkAsync(educator.Client.GetAsync($"/api/v1/submissions/{starter.GetProperty("id").GetInt64()}"));
        Assert.Equal(0, bad.GetProperty("summary").GetProperty("score").GetDouble());
        var failed = bad.GetProperty("results")[0];
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Equal(("3\n", ""), (failed.GetProperty("expected").GetString(), failed.GetProperty("actual").GetString()));

        // Released: the student sees the score, but not the hidden test's input.
        Assert.Equal(JsonValueKind.Null, (await Api.OkAsync(running.Client.GetAsync($"/api/v1/submissions/{latestOfRunning}"))).GetProperty("summary").GetProperty("score").ValueKind);
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/assignments/{id}/release", null));
        var seen = await Api.OkAsync(running.Client.GetAsync($"/api/v1/submissions/{latestOfRunning}"));
        Assert.Equal(10, seen.GetProperty("summary").GetProperty("finalScore").GetDouble());
        Assert.Single(seen.GetProperty("results").EnumerateArray()); // the hidden one is left out
    }

    [Fact]
    public async Task Hostile_submissions_are_cut_or_contained_and_the_next_one_grades_normally()
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Hostile course", description = "2026-1" }))).GetProperty("id").GetInt64();
        var tests = new object[] { new { name = "t", stdin = "", expectedStdout = "ok", compare = "trimmed", points = 1, timeLimitMs = 2000, memoryMb = 64, visibility = "visible" } };
        var id = await AssignmentKit.CreateAsync(educator, course, AssignmentKit.Body("Hostile", slug: "hostile", tests: tests));
        var programs = new Dictionary<string, string>
        {
            ["loop"] = "while :; do :; done\n",
            ["forkbomb"] = "b() { b | b & }; b\nsleep 30\n",
            ["memory"] = "head -c 2000000000 /dev/zero | tail -c 1900000000 > /dev/null && echo ok\n",
            // No network at all in the sandbox: only the loopback device, and connecting anywhere fails at once.
            ["network"] = "ls /sys/class/net; nc -z -w 2 10.255.255.1 80 && echo reached || echo unreachable\n",
            ["fine"] = "echo ok\n",
            // A program made in the work directory runs (a compiler's output does the same): Docker's tmpfs default is noexec.
            ["built"] = "cp /bin/echo ./prog && ./prog ok\n",
        };
        var ids = new Dictionary<string, long>();
        foreach (var (name, program) in programs)
        {
            ids[name] = await AssignmentKit.SubmissionAsync(Host, id, educator.Id, new Dictionary<string, string> { ["main.sh"] = program });
        }
        await Host.WithDbAsync(db => db.Submissions.Where(s => s.AssignmentId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.GradeState, GradeStates.Queued)));
        var clock = Stopwatch.StartNew();
        await UntilAsync(() => Host.WithDbAsync(db => db.Submissions.CountAsync(s => s.AssignmentId == id && (s.GradeState == GradeStates.Done || s.GradeState == GradeStates.Error))),
            n => n == programs.Count, "hostile grading", seconds: 240);
        var results = await Host.WithDbAsync(db => db.TestResults.Where(r => ids.Values.Contains(r.SubmissionId)).ToListAsync());
        TestResult Of(string name) => results.Single(r => r.SubmissionId == ids[name]);
        var errors = await Host.WithDbAsync(db => db.Submissions.Where(s => s.AssignmentId == id && s.GradeState == GradeStates.Error).Select(s => s.GradeError).ToListAsync());
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        Assert.True(Of("loop").TimedOut, Of("loop").Note);
        Assert.InRange(Of("loop").TimeMs, 2000, 15_000);
        Assert.False(Of("forkbomb").Passed);
        Assert.InRange(Of("forkbomb").TimeMs, 0, 15_000); // cut at the limit, not after the script's sleep 30
        Assert.False(Of("memory").Passed);
        Assert.NotEqual(0, Of("memory").ExitCode);
        Assert.Equal("lo\nunreachable\n", Of("network").Actual);
        Assert.True(Of("fine").Passed, $"{Of("fine").Actual} {Of("fine").Stderr} {Of("fine").Note}");
        Assert.True(Of("built").Passed, $"{Of("built").Actual} {Of("built").Stderr} {Of("built").Note}");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4));
    }

    static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }
}
