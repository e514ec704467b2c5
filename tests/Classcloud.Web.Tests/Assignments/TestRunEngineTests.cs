using System.Net.Http.Json;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Assignments;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Classcloud.Web.Tests.Assignments.AssignmentEngineKit;

namespace Classcloud.Web.Tests.Assignments;

/// <summary>
/// One submission, seven tests, on the real engine, graded once with all tests in one exec (the default) and once
/// with one exec per test: each test gets its own input and limit and reports the same facts on both paths — an
/// endless loop stops at its own limit and the next test still gets all of its time, a 5 MB flood is cut at
/// 64 KiB while the program runs on to its own exit, a process that escaped with <c>setsid</c> and kept the
/// output open does not change the program's result (and, in one exec, is gone before the next test), exit codes and stderr are kept, and the program sees only
/// its submission's files in <c>/work</c>.
/// </summary>
public abstract class TestRunEngineTests(EngineFixture engine, bool batch) : EngineHostTests(engine, batch ? "tb" : "tp")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:Assignments:GraderImage"] = EngineFixture.BaseImage,
        ["Classcloud:Assignments:CheckInterval"] = "00:00:00.250",
        ["Classcloud:Assignments:BatchTests"] = batch ? "true" : "false",
    };

    const string Program = """
        read what
        case "$what" in
          echo) read rest; echo "ok $rest"; echo warn >&2 ;;
          loop) while :; do :; done ;;
          flood) head -c 5000000 /dev/zero | tr '\0' x; echo; echo done >&2 ;;
          escape) setsid sleep 60 & echo started ;;
          count) n=0; for p in /proc/[0-9]*; do case "$(cat "$p/stat" 2>/dev/null)" in *"(sleep) "[!Z]*) n=$((n+1)) ;; esac; done; echo "sleeping $n" ;;
          exit) echo out; exit 3 ;;
          files) ls -A ;;
        esac
        """;

    [Fact]
    public async Task Every_test_reports_its_own_run_and_a_hostile_one_does_not_eat_the_next_ones_time()
    {
        var educator = await Host.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Runs course", description = "2026-1" }))).GetProperty("id").GetInt64();
        object Test(string name, string stdin, string expected, int limitMs = 3000) =>
            new { name, stdin, expectedStdout = expected, compare = "exact", points = 1, timeLimitMs = limitMs, memoryMb = 64, visibility = "visible" };
        var tests = new[]
        {
            Test("echo", "echo\nworld\n", "ok world\n"),
            Test("loop", "loop\n", "", limitMs: 1500),
            Test("after-loop", "echo\nagain\n", "ok again\n", limitMs: 1500),
            Test("flood", "flood\n", ""),
            Test("escape", "escape\n", "started\n", limitMs: 1000),
            Test("count", "count\n", "sleeping 1\n"),
            Test("exit", "exit\n", "out\n"),
            Test("files", "files\n", "main.sh\n"),
        };
        var id = await AssignmentKit.CreateAsync(educator, course, AssignmentKit.Body("Runs", slug: "runs", tests: tests));
        var submission = await AssignmentKit.SubmissionAsync(Host, id, educator.Id, new Dictionary<string, string> { ["main.sh"] = Program });
        await Host.WithDbAsync(db => db.Submissions.Where(s => s.Id == submission).ExecuteUpdateAsync(s => s.SetProperty(x => x.GradeState, GradeStates.Queued)));
        await UntilAsync(() => Host.WithDbAsync(db => db.Submissions.Where(s => s.Id == submission).Select(s => s.GradeState).SingleAsync()),
            state => state is GradeStates.Done or GradeStates.Error, "grading", seconds: 180);
        var error = await Host.WithDbAsync(db => db.Submissions.Where(s => s.Id == submission).Select(s => s.GradeError).SingleAsync());
        Assert.Null(error);
        var names = await Host.WithDbAsync(db => db.AssignmentTests.Where(t => t.AssignmentId == id).ToDictionaryAsync(t => t.Id, t => t.Name));
        var results = (await Host.WithDbAsync(db => db.TestResults.Where(r => r.SubmissionId == submission).ToListAsync())).ToDictionary(r => names[r.TestId]);
        Assert.Equal(tests.Length, results.Count);
        string Say(TestResult r) => $"exit {r.ExitCode}, {r.TimeMs} ms, timed out {r.TimedOut}, note {r.Note}, out [{r.Actual[..Math.Min(80, r.Actual.Length)]}], err [{r.Stderr}]";

        var echo = results["echo"];
        Assert.True(echo.Passed, Say(echo));
        Assert.Equal(("ok world\n", "warn\n", (int?)0), (echo.Actual, echo.Stderr, echo.ExitCode));

        var loop = results["loop"];
        Assert.True(loop.TimedOut, Say(loop));
        Assert.False(loop.Passed);
        Assert.Equal("Stopped at the time limit (1500 ms).", loop.Note);
        Assert.InRange(loop.TimeMs, 1500, 9000);
        Assert.True(results["after-loop"].Passed, Say(results["after-loop"]));

        // Cut at 64 KiB and marked, while the rest was read and dropped: the program ran on to its own end (exit 0, its last words on stderr).
        var flood = results["flood"];
        Assert.False(flood.Passed);
        Assert.False(flood.TimedOut, Say(flood));
        Assert.Equal(AssignmentLimits.Output, flood.Actual.Length);
        Assert.Equal(("done\n", (int?)0), (flood.Stderr, flood.ExitCode));
        Assert.Equal("The output went past 64 KiB and was cut.", flood.Note);

        // The escaped sleep kept the output open after the program ended: the test still reports the program's own end and
        // output. The batch kills it before the next test. One exec per test leaves it running (the engine closes the
        // exec's output after a wait of its own) — unless the wrapper's kill of the program's process group lands before
        // `setsid` has moved the sleep out of it, as happens under load: so there, one or two sleepers.
        var escape = results["escape"];
        Assert.True(escape.Passed, Say(escape));
        Assert.Equal((int?)0, escape.ExitCode);
        var count = results["count"].Actual; // the sandbox's own init sleeps; a killed one is a zombie (Z)
        Assert.True(batch ? count == "sleeping 1\n" : count is "sleeping 1\n" or "sleeping 2\n", $"{(batch ? "batch" : "per test")}: {count}");

        var exit = results["exit"];
        Assert.Equal(((int?)3, "out\n", "Exited with 3."), (exit.ExitCode, exit.Actual, exit.Note));
        Assert.False(exit.Passed);
        Assert.True(results["files"].Passed, Say(results["files"])); // the runner's files are not in /work

    }
}

[Collection(EngineCollection.Name)]
public sealed class BatchTestRunEngineTests(EngineFixture engine) : TestRunEngineTests(engine, batch: true);

[Collection(EngineCollection.Name)]
public sealed class PerTestRunEngineTests(EngineFixture engine) : TestRunEngineTests(engine, batch: false);
