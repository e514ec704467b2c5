using System.Diagnostics;
using System.Globalization;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Gateway;
using Classcloud.Web.Orchestration;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Issue 11's "a class at once on one machine", on a host with the shipped settings (capacity admission on):
/// <see cref="BenchOptions.ClassSize"/> students, each with their own account, click "new terminal" spread evenly over
/// <see cref="Window"/> and each is timed from the click to the first byte of its terminal; then the rest of
/// <see cref="BenchOptions.Held"/> students start one each at once, and all are counted running, held together. Next to
/// the same done bare in the same run: `docker run -d` + `docker exec -t` of the same tmux with the same spacing,
/// and a burst of `docker run -d` of as many terminals.
/// </summary>
internal static class ClassAtOnce
{
    /// <summary>The issue's "within the same 10 seconds".</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>The issue's "all usable within 30 s".</summary>
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(30);

    /// <summary>The state is read as often as a browser would look (the detail page refreshes every 2 s): not a hot loop of 40 clients.</summary>
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>How long the held terminals stay up before they are counted again (they must still all run).</summary>
    static readonly TimeSpan Hold = TimeSpan.FromSeconds(20);

    public sealed record Outcome(IReadOnlyList<LatencySummary> Latencies, IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes);

    /// <summary>One student's or one bare container's click → usable: the time, or why it failed.</summary>
    readonly record struct Usable(double? Ms, double EndMs, string? Error);

    public static async Task<Outcome> RunAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var n = r.Options.ClassSize;
        var held = Math.Max(r.Options.Held, n);
        var notes = new List<string>();
        var figures = new List<Figure>();

        ScenarioRounds.Progress($"class: {n} bare terminals (docker run -d + exec) over {Window.TotalSeconds:0} s");
        var bare = await SpreadAsync(n, _ => BareUsableAsync(r, ct), ct);
        await DockerCli.RemoveLabelledAsync(r.BareLabel, ct);

        ScenarioRounds.Progress($"class: a burst of {held} × docker run -d");
        var burst = await BareBurstAsync(r, held, ct);
        await DockerCli.RemoveLabelledAsync(r.BareLabel, ct);

        ScenarioRounds.Progress($"class: {n} students click new terminal over {Window.TotalSeconds:0} s");
        var api = await SpreadAsync(n, i => StudentAsync(host, i, connect: true, ct), ct);

        ScenarioRounds.Progress($"class: {held - n} more students start a terminal at once ({held} in all)");
        var rest = Stopwatch.StartNew();
        var others = await Task.WhenAll(Enumerable.Range(n, held - n).Select(i => StudentAsync(host, i, connect: false, ct)));
        var restSeconds = rest.Elapsed.TotalSeconds;
        var runningNow = await RunningAsync(host, ct);
        ScenarioRounds.Progress($"class: {runningNow} running; holding them {Hold.TotalSeconds:0} s");
        await Task.Delay(Hold, ct);
        var runningAfter = await RunningAsync(host, ct);

        var bareSeries = Series("docker-run+exec", $"{n} bare terminals, `docker run -d` then `docker exec -t` of the gateway's tmux until its first byte, started evenly over {Window.TotalSeconds:0} s (the baseline)", bare);
        var apiSeries = Series("student-create+start→first-byte",
            $"{n} students, each their own account, started evenly over {Window.TotalSeconds:0} s: `POST /api/v1/workspaces` (terminal), GET every {Poll.TotalSeconds:0} s until `stopped`, `POST …/start`, GET until `running`, terminal WebSocket, its first byte", api);
        var latencies = new[] { bareSeries.Summarize(null), apiSeries.Summarize(bareSeries) };

        var apiLast = api.Max(u => u.EndMs) / 1000;
        var bareLast = bare.Max(u => u.EndMs) / 1000;
        var failed = api.Count(u => u.Error is not null);
        figures.Add(new Figure("class", "last-usable-seconds", apiLast, "s", bareLast, $"bare ×{n}", $"From the first student's click to the last of {n} terminals usable (first byte)"));
        figures.Add(new Figure("class", "slowest-student-seconds", api.Max(u => u.Ms ?? 0) / 1000, "s", bare.Max(u => u.Ms ?? 0) / 1000, $"bare ×{n}", "The slowest student's own click → usable"));
        figures.Add(new Figure("class", "held-burst-seconds", restSeconds, "s", burst.Seconds, $"docker run -d ×{held}",
            $"Wall time until {held - n} more students' terminals run (created and started at once), {n} already running; baseline: {held} bare at once"));
        figures.Add(new Figure("class", "held-running", runningAfter, "terminals", burst.Running, $"docker run -d ×{held}", $"Terminal containers of the host running {Hold.TotalSeconds:0} s after the last start"));

        var met = failed == 0 && apiLast <= Goal.TotalSeconds;
        notes.Add(Invariant($"Goal (issue 11), a class at once with the default settings: {n} students start terminals within {Window.TotalSeconds:0} s, ") +
            Invariant($"all usable within {Goal.TotalSeconds:0} s, none failed: last usable {apiLast:0.0} s after the first click, slowest student {api.Max(u => u.Ms ?? 0) / 1000:0.0} s, {failed} failed — {(met ? "met" : "not met")} ") +
            Invariant($"(bare `docker run` + exec, same spacing: last {bareLast:0.0} s, {bare.Count(u => u.Error is not null)} failed)."));
        var heldFailed = others.Count(u => u.Error is not null);
        notes.Add(Invariant($"Goal (issue 11), {held} idle terminals held at once: {runningNow} running when the last start answered, {runningAfter} after {Hold.TotalSeconds:0} s, ") +
            Invariant($"{heldFailed} of the {held - n} later starts failed — {(runningAfter >= held && heldFailed == 0 ? "met" : "not met")} ") +
            Invariant($"(bare burst of {held} `docker run -d`: {burst.Running} running, {burst.Failed} failed, {burst.Seconds:0.0} s; through the API {restSeconds:0.0} s for the last {held - n})."));
        foreach (var error in api.Concat(others).Select(u => u.Error).OfType<string>().Distinct().Take(5))
        {
            notes.Add($"A class start failed: {error}");
        }
        return new Outcome(latencies, figures, notes);
    }

    /// <summary>Runs <paramref name="n"/> operations, the i-th started i × window / n after the first; each one's end is measured from the first start.</summary>
    static async Task<Usable[]> SpreadAsync(int n, Func<int, Task<Usable>> operation, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        return await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
        {
            var at = Window * i / n;
            if (at > clock.Elapsed)
            {
                await Task.Delay(at - clock.Elapsed, ct);
            }
            var result = await operation(i);
            return result with { EndMs = clock.Elapsed.TotalMilliseconds };
        }));
    }

    /// <summary>A student: new terminal, start it, open it; timed from the click to the first byte (or, without <paramref name="connect"/>, to running).</summary>
    static async Task<Usable> StudentAsync(WorkspaceHost host, int student, bool connect, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (id, _) = await host.CreateAsync("terminal", student, ct);
            await host.WaitAsync(id, ["stopped"], Poll, ct);
            if (await host.ActAsync(id, "start", ct) is { } refused)
            {
                throw new BenchOperationException(refused);
            }
            await host.WaitAsync(id, ["running"], Poll, ct);
            if (connect)
            {
                await using var terminal = await GatewayTerminal.ConnectAsync(host.Socket(id, "terminal"), host.BearerOf(student), ct);
                await terminal.NextAsync(Limit, ct);
            }
            return new Usable(clock.Elapsed.TotalMilliseconds, 0, null);
        }
        catch (Exception ex) when (WorkspacesRun.IsFailure(ex, ct))
        {
            return new Usable(null, 0, $"student {student + 1}: {ex.Message}");
        }
    }

    /// <summary>The bare equivalent: a new container of the terminal image, then the gateway's tmux command in it until its first byte.</summary>
    static async Task<Usable> BareUsableAsync(WorkspacesRun r, CancellationToken ct)
    {
        var run = await DockerCli.RunAsync(["run", "-d", .. r.BareArgs(r.TerminalImage), r.TerminalImage], ct);
        if (!run.Ok)
        {
            return new Usable(null, 0, run.Error);
        }
        var exec = await DockerCli.FirstOutputAsync(["exec", "-t", "-e", "TERM=xterm-256color", run.Stdout, .. TerminalBridge.Command(true)], Limit, ct);
        return exec.Ok ? new Usable(run.Milliseconds + exec.Milliseconds, 0, null) : new Usable(null, 0, exec.Error);
    }

    sealed record Burst(double Seconds, int Running, int Failed);

    static async Task<Burst> BareBurstAsync(WorkspacesRun r, int n, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var runs = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => DockerCli.RunAsync(["run", "-d", .. r.BareArgs(r.TerminalImage), r.TerminalImage], ct)));
        var seconds = clock.Elapsed.TotalSeconds;
        var running = await DockerCli.RunAsync(["ps", "-q", "--filter", $"label={r.BareLabel}", "--filter", "status=running"], ct);
        return new Burst(seconds, Lines(running.Stdout), runs.Count(x => !x.Ok));
    }

    /// <summary>The host's running containers (its controller scope's label), as the engine lists them.</summary>
    static async Task<int> RunningAsync(WorkspaceHost host, CancellationToken ct)
    {
        var listed = await DockerCli.RunAsync(["ps", "-q", "--filter", $"label={ControllerLabels.Scope}={host.Scope}", "--filter", "status=running"], ct);
        return Lines(listed.Stdout);
    }

    static int Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    static LatencySeries Series(string scenario, string description, IEnumerable<Usable> results)
    {
        var series = new LatencySeries("class", scenario, description);
        foreach (var u in results)
        {
            if (u.Ms is { } ms)
            {
                series.Add(ms);
            }
            else
            {
                series.Fail(u.Error ?? "failed");
            }
        }
        return series;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
