using System.Diagnostics;
using System.Globalization;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Bench.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Bench.Assignments;

/// <summary>
/// Issue 13's deadline goal: M course workspaces (default 100; most stopped, `--running` of them running) all collected
/// within 60 s of the due time. The host runs with the shipped settings (the assignment pass every 5 s). Students sign
/// up and make their course workspaces through the API; the course and its enrolments are rows. The assignment is
/// created through the API with a far due time; once its folder is in every workspace, the due time is moved to a few
/// seconds ahead (PUT), and the submissions API is read until every student has a deadline submission. Baseline: a bare
/// `docker run --rm -v &lt;volume&gt;:/src:ro &lt;image&gt; tar` of the same folder from each volume, one after another as the
/// collector goes.
/// </summary>
internal static class CollectionPart
{
    const string Slug = "hello";
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    public static async Task<PartResult> RunAsync(AssignmentsRun r, CancellationToken ct)
    {
        var m = r.Options.Workspaces;
        var running = Math.Min(r.Options.Running, m);
        ScenarioRounds.Progress($"collection: signing up {m} students and the course owner");
        await using var host = await WorkspaceHost.StartWithDefaultsAsync($"bench-{r.Run}-k", r.Options, r.HostDll, m + 1, ct);
        var owner = host.User(0).Token;
        var (courseId, students) = await AssignmentsApi.SeedCourseAsync(host.DatabaseConnectionString, host.User(0).Email,
            Enumerable.Range(1, m).Select(i => host.User(i).Email).ToList(), ct);

        ScenarioRounds.Progress($"collection: creating {m} course workspaces through the API");
        var workspaces = new long[m];
        var made = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, m), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, c) =>
        {
            var (id, _) = await host.CreateInCourseAsync(courseId, i + 1, c);
            await host.WaitAsync(id, ["stopped", "running"], TimeSpan.FromMilliseconds(250), c);
            workspaces[i] = id;
            if (Interlocked.Increment(ref made) % 10 == 0)
            {
                ScenarioRounds.Progress($"collection: {made} of {m} workspaces made");
            }
        });
        ScenarioRounds.Progress($"collection: starting {running} of them");
        await Parallel.ForEachAsync(workspaces.Take(running), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (id, c) => await host.StartRunningAsync(id, c));

        var opens = DateTimeOffset.UtcNow;
        object Body(DateTimeOffset due) => AssignmentsApi.Body("Hello", Slug, "python", null, opens, due,
            [new { path = "main.py", content = "print('hello')\n" }], GradingCorpus.ApiTests(GradingCorpus.Python).Take(1).ToList());
        var assignment = await AssignmentsApi.CreateAsync(owner, courseId, Body(opens.AddHours(2)), ct);
        var delivery = await WaitDeliveredAsync(host.DatabaseConnectionString, assignment, workspaces, ct);

        // The due time a few seconds ahead: the next passes of the shipped 5 s interval find it due.
        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        await AssignmentsApi.UpdateAsync(owner, assignment, Body(due), ct);
        ScenarioRounds.Progress($"collection: due at {due:HH:mm:ss}");
        var collect = new LatencySeries("collection", "collect-all", $"from the due time until `GET …/submissions` lists a deadline submission of each of the {m} students (a missing, incomplete or noted one counts as an error)");
        var wanted = students.ToHashSet();
        List<AssignmentsApi.SubmissionRow> taken = [];
        var seen = -1;
        while (true)
        {
            var rows = await AssignmentsApi.SubmissionsAsync(owner, assignment, ct);
            taken = rows.Where(s => s.Source == "deadline" && wanted.Contains(s.UserId)).DistinctBy(s => s.UserId).ToList();
            if (taken.Count != seen)
            {
                seen = taken.Count;
                ScenarioRounds.Progress($"collection: {seen} of {m} collected, {(DateTimeOffset.UtcNow - due).TotalSeconds:0.0} s after the due time");
            }
            if (taken.Count == m)
            {
                break;
            }
            if (DateTimeOffset.UtcNow - due > Limit)
            {
                collect.Fail($"{taken.Count} of {m} collected after {Limit.TotalMinutes:0} minutes");
                break;
            }
            await Task.Delay(250, ct);
        }
        var seconds = (DateTimeOffset.UtcNow - due).TotalSeconds;
        collect.Add(seconds * 1000);
        foreach (var s in taken.Where(s => s.FileCount < 2 || s.Note is not null))
        {
            collect.Fail($"student {s.UserId}: {s.FileCount} entries, note: {s.Note}");
        }
        var times = taken.Select(s => s.TakenAt).Order().ToList();
        var lastTaken = times.Count > 0 ? (DateTime.SpecifyKind(times[^1], DateTimeKind.Utc) - due.UtcDateTime).TotalSeconds : double.NaN;
        var firstTaken = times.Count > 0 ? (DateTime.SpecifyKind(times[0], DateTimeKind.Utc) - due.UtcDateTime).TotalSeconds : double.NaN;
        var each = new LatencySeries("collection", "per-workspace", "time between consecutive deadline submissions (`takenAt`, the host's clock): one read-only helper per workspace, one after another");
        for (var i = 1; i < times.Count; i++)
        {
            each.Add((times[i] - times[i - 1]).TotalMilliseconds);
        }

        var bare = await BareAsync(r, host, workspaces, ct);
        var bareTotal = bare.Total;
        var c = CultureInfo.InvariantCulture;
        var figures = new List<Figure>
        {
            new("collection", "collect-all-seconds", seconds, "s", bareTotal / 1000, $"{m} bare `docker run … tar`, one after another",
                $"Due time → every one of the {m} students has a deadline submission in the API"),
            new("collection", "last-taken-seconds", lastTaken, "s", null, null, "Due time → the last submission's `takenAt` (the host's own clock; without the bench's polling)"),
            new("collection", "delivery-seconds", delivery, "s", null, null, $"Assignment created → its folder written into all {m} workspaces (not a goal)"),
        };
        var notes = new List<string>
        {
            string.Create(c, $"Collection: {m} course workspaces ({running} running, {m - running} stopped), host with the shipped settings (assignment pass every 5 s). The first submission was taken {firstTaken:0.0} s after the due time (the pass's interval), the last {lastTaken:0.0} s."),
            string.Create(c, $"Goal (issue 13), all {m} collected within 60 s of the due time: {seconds:0.0} s — {(seconds <= 60 && collect.Summarize(null).Errors == 0 ? "met" : "not met")}{(m == 100 ? "" : $" (this run had {m} workspaces, not 100: not the goal's measurement)")}."),
            string.Create(c, $"Bare baseline: {m} × `docker run --rm --network none -v <volume>:/src:ro <workspace image> tar -C /src/assignments/{Slug} -cf - .`, one after another: {bareTotal / 1000:0.0} s in all, p50 {bare.Series.P50:0} ms each; the host's per-workspace p50 {each.P50:0} ms ({(bare.Series.P50 > 0 ? each.P50 / bare.Series.P50 : 0):0.00}×)."),
        };
        return new PartResult([bare.Series.Summarize(null), collect.Summarize(null) with { IsBaseline = false }, each.Summarize(bare.Series)], figures, notes);
    }

    /// <summary>Polls the host's delivery rows (there is no API for them) until every workspace has the folder; the seconds it took.</summary>
    static async Task<double> WaitDeliveredAsync(string connectionString, long assignment, long[] workspaces, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var seen = -1;
        while (true)
        {
            int count;
            await using (var db = AssignmentsApi.Open(connectionString))
            {
                count = await db.AssignmentDeliveries.AsNoTracking().CountAsync(d => d.AssignmentId == assignment && d.Error == null && workspaces.Contains(d.WorkspaceId), ct);
            }
            SqliteConnection.ClearAllPools();
            if (count != seen)
            {
                seen = count;
                ScenarioRounds.Progress($"collection: folder delivered to {count} of {workspaces.Length} workspaces ({clock.Elapsed.TotalSeconds:0} s)");
            }
            if (count == workspaces.Length)
            {
                return clock.Elapsed.TotalSeconds;
            }
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"the folder reached {count} of {workspaces.Length} workspaces in {Limit.TotalMinutes:0} minutes");
            }
            await Task.Delay(1000, ct);
        }
    }

    static async Task<(LatencySeries Series, double Total)> BareAsync(AssignmentsRun r, WorkspaceHost host, long[] workspaces, CancellationToken ct)
    {
        ScenarioRounds.Progress($"collection: bare baseline, {workspaces.Length} × docker run … tar");
        var series = new LatencySeries("collection", "bare-tar", "`docker run --rm -v <volume>:/src:ro <image> tar` of the folder from one workspace's volume (the CLI's own start included)");
        List<Web.Workspaces.Workspace> rows;
        await using (var db = AssignmentsApi.Open(host.DatabaseConnectionString))
        {
            rows = await db.Workspaces.AsNoTracking().Where(w => workspaces.Contains(w.Id)).ToListAsync(ct);
        }
        SqliteConnection.ClearAllPools();
        var total = 0.0;
        foreach (var w in rows)
        {
            var result = await DockerCli.RunAsync(["run", "--rm", "--network", "none", "--label", r.BareLabel, "-v", $"{host.Names.Volume(w)}:/src:ro",
                w.Image, "tar", "-C", $"/src/assignments/{Slug}", "-cf", "-", "."], ct);
            total += result.Milliseconds;
            if (result.Ok && result.Stdout.Contains("main.py", StringComparison.Ordinal))
            {
                series.Add(result.Milliseconds);
            }
            else
            {
                series.Fail(result.Ok ? "the bare tar has no main.py" : result.Error);
            }
        }
        return (series, total);
    }
}
