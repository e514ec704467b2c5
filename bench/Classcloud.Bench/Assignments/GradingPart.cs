using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Classcloud.Bench.Accounts;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Assignments;
using Classcloud.Web.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Bench.Assignments;

/// <summary>
/// Issue 13's grading goal: N submissions (default 500, half Python, half C) × 5 tests graded through
/// `POST /api/v1/assignments/{id}/grade` in ≤ 120 s, overhead ≤ 30 ms per test against the same programs run bare in
/// the same image. The assignments and tests are made through the API; the submissions are written into the host's
/// database and archive store with the host's own <see cref="SubmissionArchive"/> (what a collection stores),
/// since 500 collections from workspaces are the other part's subject. Progress is read from `GET …/grade` until
/// every submission is done; then each score is checked against the one the program must get.
/// </summary>
internal static class GradingPart
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(40);

    public static async Task<PartResult> RunAsync(AssignmentsRun r, CancellationToken ct)
    {
        var n = r.Options.Submissions;
        var samples = Math.Min(r.Options.Samples ?? 40, n);
        var settings = new Dictionary<string, string>
        {
            ["Classcloud__Platform__Enabled"] = "true",
            ["Classcloud__Controller__Scope"] = $"bench-{r.Run}-g",
            ["Classcloud__Limits__AuthRequestsPerMinute"] = "100000",
            ["Classcloud__Monitoring__Enabled"] = "false",
            ["Classcloud__Assignments__GraderImage"] = r.GraderImage,
        };
        // Unset: the host's default (half the processor count, at least 1), as shipped.
        var concurrency = Environment.GetEnvironmentVariable("CLASSCLOUD_BENCH_GRADING_CONCURRENCY");
        if (concurrency is not null)
        {
            settings["Classcloud__Assignments__GradingConcurrency"] = concurrency;
        }
        var batch = Environment.GetEnvironmentVariable("CLASSCLOUD_BENCH_BATCH_TESTS");
        if (batch is not null)
        {
            settings["Classcloud__Assignments__BatchTests"] = batch;
        }
        await using var host = await ProviderHost.StartAsync("sqlite", r.Options, r.HostDll, settings, ct);
        var users = await BenchUser.PrepareAsync(host.Host, 2, ct);
        try
        {
            var owner = users[0].Token;
            var (courseId, students) = await AssignmentsApi.SeedCourseAsync(host.DatabaseConnectionString, users[0].Email, [users[1].Email], ct);
            var now = DateTimeOffset.UtcNow;
            var ids = new Dictionary<GradingLanguage, long>();
            foreach (var language in new[] { GradingCorpus.Python, GradingCorpus.C })
            {
                ids[language] = await AssignmentsApi.CreateAsync(owner, courseId, AssignmentsApi.Body(
                    $"Add two numbers ({language.Name})", $"add-{language.Name}", language.ApiLanguage, language == GradingCorpus.C ? language.Run : null,
                    now, now.AddDays(7), [], GradingCorpus.ApiTests(language)), ct);
            }
            var corpus = GradingCorpus.Make(n);
            ScenarioRounds.Progress($"grading: seeding {n} submissions");
            var bySubmission = await SeedAsync(host, corpus, ids, students[0], ct);

            // The bare baseline, half before and half after the grading, so the machine's drift falls on both.
            var bare = new LatencySeries("grading", "bare-container", "`docker run --rm -i --network none` of the grader image running one submission's 5 tests (the CLI's own start included)");
            var bareTests = new Dictionary<string, LatencySeries>
            {
                ["python"] = new("grading", "bare-test-python", "one Python test inside the bare container (`sh -c 'python3 main.py' < in`), timed in the container"),
                ["c"] = new("grading", "bare-test-c", "one C test inside the bare container (test 1 compiles), timed in the container"),
            };
            var sample = Enumerable.Range(0, samples).Select(i => corpus[i * n / samples]).ToList();
            await BareAsync(r, sample.Take(samples / 2), bare, bareTests, ct);

            ScenarioRounds.Progress($"grading: grade all ({n} submissions)");
            var wall = new LatencySeries("grading", "grade-all", $"`POST …/grade?all=true` on both assignments until `GET …/grade` reports all {n} done (wall time; a wrong score or a failed grading counts as an error)");
            var clock = Stopwatch.StartNew();
            foreach (var id in ids.Values)
            {
                await AssignmentsApi.GradeAllAsync(owner, id, ct);
            }
            var last = "";
            while (true)
            {
                var progress = new List<AssignmentsApi.Progress>();
                foreach (var id in ids.Values)
                {
                    progress.Add(await AssignmentsApi.ProgressAsync(owner, id, ct));
                }
                var (done, failed, total) = (progress.Sum(p => p.Done), progress.Sum(p => p.Failed), progress.Sum(p => p.Total));
                var line = $"grading: {done + failed} of {total} graded ({failed} failed), {clock.Elapsed.TotalSeconds:0} s";
                if (line[..line.LastIndexOf(',')] != last)
                {
                    ScenarioRounds.Progress(line);
                    last = line[..line.LastIndexOf(',')];
                }
                if (progress.All(p => p.Queued + p.Running == 0 && p.Done + p.Failed == p.Total))
                {
                    break;
                }
                if (clock.Elapsed > Limit)
                {
                    wall.Fail($"not done after {Limit.TotalMinutes:0} minutes: {done + failed} of {total}");
                    break;
                }
                await Task.Delay(250, ct);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            wall.Add(seconds * 1000);
            await BareAsync(r, sample.Skip(samples / 2), bare, bareTests, ct);
            var parallel = await BareAtOnceAsync(r, sample, ct);

            var sandboxTests = await CheckAsync(host.DatabaseConnectionString, bySubmission, wall, ct);
            var shipped = Math.Max(1, Environment.ProcessorCount / 2).ToString(CultureInfo.InvariantCulture);
            var how = $"grading concurrency {concurrency ?? $"{shipped} (the default)"}, tests {(batch is "false" ? "one exec each" : "in one exec per submission")}";
            return Summarize(n, seconds, wall, bare, bareTests, sandboxTests, r, parallel, how);
        }
        finally
        {
            users.ToList().ForEach(u => u.Dispose());
        }
    }

    /// <summary>The submissions as collected ones: archive files through the host's own store, rows through its own model.</summary>
    static async Task<Dictionary<long, GradingSubmission>> SeedAsync(ProviderHost host, IReadOnlyList<GradingSubmission> corpus,
        Dictionary<GradingLanguage, long> ids, long student, CancellationToken ct)
    {
        var archive = new SubmissionArchive(
            Options.Create(new ClasscloudOptions { DataDirectory = host.Host.DataDirectory }), Options.Create(new AssignmentsOptions()));
        await using var db = AssignmentsApi.Open(host.DatabaseConnectionString);
        var now = DateTime.UtcNow;
        var rows = new List<(Submission Row, GradingSubmission Source)>();
        foreach (var s in corpus)
        {
            using var tar = new MemoryStream(s.Tar());
            var stored = await archive.StoreAsync(tar, cut: false, ct);
            var row = new Submission
            {
                AssignmentId = ids[s.Language], UserId = student, Source = SubmissionSources.Submit, TakenAt = now.AddMilliseconds(s.Number),
                ContentHash = stored.ContentHash, FilesJson = JsonSerializer.Serialize(stored.Files, JsonSerializerOptions.Web),
                ArchiveKey = stored.Key, SizeBytes = stored.SizeBytes, MaxScore = GradingCorpus.FullScore,
            };
            db.Submissions.Add(row);
            rows.Add((row, s));
        }
        await db.SaveChangesAsync(ct);
        SqliteConnection.ClearAllPools();
        return rows.ToDictionary(x => x.Row.Id, x => x.Source);
    }

    static async Task BareAsync(AssignmentsRun r, IEnumerable<GradingSubmission> sample, LatencySeries bare, Dictionary<string, LatencySeries> tests, CancellationToken ct)
    {
        foreach (var s in sample)
        {
            var run = await BareGrader.RunAsync(r.GraderImage, r.BareLabel, s, ct);
            if (run.Error is not null)
            {
                bare.Fail(run.Error);
                continue;
            }
            bare.Add(run.WallMs);
            foreach (var (ms, _) in run.Tests)
            {
                tests[s.Language.Name].Add(ms);
            }
        }
    }

    /// <summary>The sample's bare containers 4 at a time; wall time ÷ containers, in ms (a failed one throws: the figure would be wrong).</summary>
    static async Task<double> BareAtOnceAsync(AssignmentsRun r, List<GradingSubmission> sample, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (s, c) =>
        {
            var run = await BareGrader.RunAsync(r.GraderImage, r.BareLabel, s, c);
            if (run.Error is not null)
            {
                throw new BenchOperationException($"bare, 4 at a time: {run.Error}");
            }
        });
        return clock.Elapsed.TotalMilliseconds / sample.Count;
    }

    /// <summary>Every submission's state and score against what its program must get; each test's time as the grader measured it, per language.</summary>
    static async Task<Dictionary<string, LatencySeries>> CheckAsync(string connectionString, Dictionary<long, GradingSubmission> expected, LatencySeries wall, CancellationToken ct)
    {
        var series = new Dictionary<string, LatencySeries>
        {
            ["python"] = new("grading", "sandbox-test-python", "one Python test as the grader timed it (`TestResult.TimeMs`: in the sandbox by the batch runner around `timeout`; with one exec per test, from the host around the exec)"),
            ["c"] = new("grading", "sandbox-test-c", "one C test as the grader timed it (test 1 compiles)"),
        };
        await using var db = AssignmentsApi.Open(connectionString);
        var keys = expected.Keys.ToList();
        var rows = await db.Submissions.AsNoTracking().Where(s => keys.Contains(s.Id)).Select(s => new { s.Id, s.GradeState, s.Score, s.GradeError }).ToListAsync(ct);
        var times = await db.TestResults.AsNoTracking().Where(t => keys.Contains(t.SubmissionId)).Select(t => new { t.SubmissionId, t.TimeMs }).ToListAsync(ct);
        SqliteConnection.ClearAllPools();
        foreach (var row in rows)
        {
            var s = expected[row.Id];
            if (row.GradeState != GradeStates.Done || row.Score != s.ExpectedScore)
            {
                wall.Fail($"submission {s.Number} ({s.Language.Name}): {row.GradeState}, score {row.Score?.ToString(CultureInfo.InvariantCulture) ?? "none"} (expected {s.ExpectedScore}) {row.GradeError}");
            }
        }
        foreach (var t in times)
        {
            series[expected[t.SubmissionId].Language.Name].Add(t.TimeMs);
        }
        return series;
    }

    static PartResult Summarize(int n, double seconds, LatencySeries wall, LatencySeries bare, Dictionary<string, LatencySeries> bareTests,
        Dictionary<string, LatencySeries> sandboxTests, AssignmentsRun r, double atOnceMs, string how)
    {
        var c = CultureInfo.InvariantCulture;
        var tests = n * GradingCorpus.Tests.Count;
        var perTest = seconds * 1000 / tests;
        var barePerTest = bare.P50 / GradingCorpus.Tests.Count;
        var overhead = perTest - barePerTest;
        var latencies = new List<LatencySummary>
        {
            bare.Summarize(null), wall.Summarize(null) with { IsBaseline = false },
            bareTests["python"].Summarize(null), sandboxTests["python"].Summarize(bareTests["python"]),
            bareTests["c"].Summarize(null), sandboxTests["c"].Summarize(bareTests["c"]),
        };
        var figures = new List<Figure>
        {
            new("grading", "grade-all-seconds", seconds, "s", bare.P50 * n / 1000, $"{n} × bare container p50, one after another",
                $"Wall time of grading {n} submissions × 5 tests through the API, against {n} bare `docker run`s of the same programs one after another"),
            new("grading", "per-test-ms", perTest, "ms", barePerTest, "bare container p50 ÷ 5",
                "Grading wall time ÷ (submissions × 5): a test's share of everything (sandbox create, copy, 5 execs, removal, database)"),
            new("grading", "bare-4-at-once-ms", atOnceMs, "ms", bare.P50, "bare container p50, one at a time",
                "The same bare containers 4 at a time: wall time ÷ containers (what grading several submissions at once could reach here)"),
            new("grading", "overhead-per-test-ms", overhead, "ms", null, null,
                "Per-test time graded minus per-test time bare (the issue's definition of the overhead)"),
        };
        var exec = sandboxTests["python"].P50 - bareTests["python"].P50;
        var notes = new List<string>
        {
            $"Grader image `{r.GraderImage}`; {n} submissions ({(n + 1) / 2} Python, {n / 2} C; one in ten fails two tests on purpose), seeded through the host's SubmissionArchive and model (not collected), graded with `POST …/grade?all=true` on both assignments ({how}); {bare.Summarize(null).Samples} bare containers, half before and half after.",
            string.Create(c, $"Goal (issue 13), {n} × 5 tests ≤ 120 s on 2 cores: {seconds:0.0} s — {(seconds <= 120 ? "met" : "not met")}{(n == 500 ? "" : $" (this run had {n} submissions, not 500: not the goal's measurement)")}."),
            string.Create(c, $"Goal (issue 13), overhead ≤ 30 ms per test: {perTest:0.0} ms graded − {barePerTest:0.0} ms bare = {overhead:0.0} ms — {(overhead <= 30 ? "met" : "not met")}."),
            string.Create(c, $"Inside the sandbox, a Python test took p50 {sandboxTests["python"].P50:0} ms as the grader timed it against {bareTests["python"].P50:0} ms bare: {exec:0} ms per test for the path around the program (the runner's timeout, output pipes and kill; with one exec per test also the exec's create, attach and inspect)."),
        };
        return new PartResult(latencies, figures, notes);
    }
}
