using System.Globalization;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Platform;
using Microsoft.Extensions.Configuration;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Issue 5's benchmark: workspaces through a real host process (platform and gateway on, SQLite) on
/// the real Docker Engine, each figure next to a bare `docker` baseline of the same image measured in
/// the same run. Parts are selectable (`--only start,resume`); each host gets its own controller scope,
/// and everything is deleted through the API at the end (then by label, whatever is left).
/// </summary>
internal sealed class WorkspacesBenchmark : IBenchmark
{
    public static readonly string[] Parts = ["start", "resume", "claim", "desktop", "density", "echo", "class"];

    public string Name => "workspaces";

    public async Task<BenchmarkReport> RunAsync(BenchOptions options, string hostDll, CancellationToken ct)
    {
        var unknown = options.Only.Except(Parts).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"--only: no part {string.Join(", ", unknown)}; there are {string.Join(", ", Parts)}.");
        }
        var parts = options.Only.Count > 0 ? options.Only.ToHashSet() : Parts.ToHashSet();
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Current(hostDll);
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var services = new ServiceCollection().AddContainerPlatform(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var platform = services.GetRequiredService<IContainerPlatform>();
        var engine = await platform.GetEngineInfoAsync(ct);
        var terminal = await ImageAsync(platform, WorkspaceKind.Terminal, ct);
        var desktop = await ImageAsync(platform, WorkspaceKind.Desktop, ct);
        var r = new WorkspacesRun(run, platform, terminal, desktop, options, hostDll);
        var latencies = new List<LatencySummary>();
        var figures = new List<Figure>();
        var notes = new List<string>
        {
            $"Engine: Docker {engine.Version} (API {engine.ApiVersion}); images `{terminal}` and `{desktop}` (the hosts' defaults); " +
            $"bare containers are labelled {r.BareLabel}, each host has the controller scope bench-{run}-<part>; all removed afterwards.",
            "Bare baselines use the `docker` command line (its own process start included, as an operator would type it). " +
            "The hosts run on SQLite with the capacity queue off and — except for resume — idle suspension off; the class part's host runs with the shipped workspace settings.",
        };
        try
        {
            if (parts.Overlaps(["start", "desktop", "density", "echo"]))
            {
                await using var host = await WorkspaceHost.StartAsync($"bench-{run}-m", options, hostDll, new Dictionary<string, string>(), ct);
                await PartAsync("start", parts, latencies, async () =>
                {
                    var start = await StartLatency.TerminalAsync(r, host, ct);
                    latencies.AddRange(start);
                    notes.Add(Goal("start of a stopped terminal: API start → first byte", start[2].P50VsBaseline, 1.3, "× bare `docker start`", lower: true) +
                        Invariant($" (vs `docker start` + exec first byte: {start[2].P50Ms / Math.Max(start[1].P50Ms, 0.001):0.00}×; vs a container isolated as a workspace is: ") +
                        Invariant($"{start[2].P50Ms / Math.Max(start[3].P50Ms, 0.001):0.00}× its `docker start`, {start[2].P50Ms / Math.Max(start[4].P50Ms, 0.001):0.00}× its start + exec first byte)."));
                }, ct);
                await PartAsync("desktop", parts, latencies, async () =>
                {
                    var desk = await StartLatency.DesktopAsync(r, host, ct);
                    latencies.AddRange(desk);
                    notes.Add(Goal("desktop: API start → first FramebufferUpdate, p50", desk[2].P50Ms / 1000, 1.5, " s", lower: true) +
                        Invariant($" (bare `docker start` until Xvnc accepts: {desk[1].P50Ms / 1000:0.00} s, {desk[2].P50Ms / Math.Max(desk[1].P50Ms, 0.001):0.00}×)."));
                }, ct);
                await PartAsync("echo", parts, latencies, async () =>
                {
                    var echo = await KeystrokeEcho.RunAsync(r, host, ct);
                    latencies.AddRange(echo);
                    notes.Add(Invariant($"Keystroke echo (no numeric goal): through the gateway p50 {echo[1].P50Ms:0.0} ms / p95 {echo[1].P95Ms:0.0} ms, ") +
                        Invariant($"straight on the engine p50 {echo[0].P50Ms:0.0} / p95 {echo[0].P95Ms:0.0} ms: the gateway adds {echo[1].P50Ms - echo[0].P50Ms:0.0} ms at p50."));
                }, ct);
                await PartAsync("density", parts, latencies, async () =>
                {
                    if (options.Density == 0)
                    {
                        notes.Add("Density skipped (--density 0).");
                        return;
                    }
                    var density = await WorkspaceDensity.RunAsync(r, host, ct);
                    figures.AddRange(density.Figures);
                    notes.AddRange(density.Notes);
                }, ct);
                notes.AddRange(host.Incidents);
            }
            if (parts.Contains("resume"))
            {
                await using var host = await WorkspaceHost.StartAsync($"bench-{run}-r", options, hostDll, ResumeAndClaim.ResumeSettings, ct);
                await PartAsync("resume", parts, latencies, async () =>
                {
                    var resume = await ResumeAndClaim.ResumeAsync(r, host, ct);
                    latencies.AddRange(resume);
                    notes.Add(Goal("resume of a suspended terminal: connect → first byte, p50", resume[1].P50Ms, 100, " ms", lower: true) +
                        Invariant($" (`docker unpause` p50 {resume[0].P50Ms:0} ms; connecting to a running one p50 {resume[2].P50Ms:0} ms)."));
                }, ct);
                notes.AddRange(host.Incidents);
            }
            if (parts.Contains("claim"))
            {
                await using var host = await WorkspaceHost.StartAsync($"bench-{run}-c", options, hostDll, ResumeAndClaim.ClaimSettings, ct);
                await PartAsync("claim", parts, latencies, async () =>
                {
                    var claims = await ResumeAndClaim.ClaimAsync(r, host, ct);
                    latencies.AddRange(claims.Latencies);
                    var label = claims.FromPool > 0 && claims.Created == 0 ? "new workspace claimed from the warm pool" : "new workspace: create (pool option 2)";
                    notes.Add(Goal($"{label}: API create → first byte, p50", claims.Latencies[1].P50Ms, 150, " ms", lower: true) +
                        Invariant($" {claims.FromPool} of {claims.FromPool + claims.Created} samples came back `running` without a start (from the pool), {claims.Created} were created `stopped` and started; ") +
                        (claims.PoolSeen ? "pool containers were seen running before the samples." : $"no pool containers ever ran in the host's scope: the option Classcloud:Workspaces:WarmPool:Terminal={ResumeAndClaim.PoolSize} has no effect in this build."));
                }, ct);
                notes.AddRange(host.Incidents);
            }
            if (parts.Contains("class"))
            {
                // The shipped settings (capacity admission on): the goal is about the defaults.
                var students = Math.Max(options.Held, options.ClassSize);
                ScenarioRounds.Progress($"class: signing up {students} students");
                await using var host = await WorkspaceHost.StartWithDefaultsAsync($"bench-{run}-k", options, hostDll, students, ct);
                await PartAsync("class", parts, latencies, async () =>
                {
                    var result = await ClassAtOnce.RunAsync(r, host, ct);
                    latencies.AddRange(result.Latencies);
                    figures.AddRange(result.Figures);
                    notes.AddRange(result.Notes);
                }, ct);
                notes.AddRange(host.Incidents);
            }
        }
        finally
        {
            ScenarioRounds.Progress("cleaning up");
            await DockerCli.RemoveLabelledAsync(r.BareLabel, CancellationToken.None);
        }
        var settings = new BenchSettings(1, 0, 0, r.Samples, ["sqlite"]);
        return new BenchmarkReport(Name, "Workspaces: start, resume, claim, desktop, density, keystroke echo and a class at once", started, settings,
            machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() }, [], notes)
        {
            Latencies = latencies,
            Figures = figures,
        };
    }

    /// <summary>Runs a selected part; a failure becomes a failed row in the report (the run exits 1) and the other parts still run.</summary>
    static async Task PartAsync(string part, HashSet<string> parts, List<LatencySummary> latencies, Func<Task> body, CancellationToken ct)
    {
        if (!parts.Contains(part))
        {
            return;
        }
        try
        {
            await body();
        }
        catch (Exception ex) when (WorkspacesRun.IsFailure(ex, ct) || ex is InvalidOperationException)
        {
            Console.Error.WriteLine($"bench: part {part} failed: {ex}");
            latencies.Add(new LatencySummary(part, "part-failed", $"The {part} part stopped: {ex.Message}", false, 0, 1, 0, 0, 0, 0, 0, ex.Message));
        }
    }

    /// <summary>The image a host of this run uses for a new workspace (its default: the system image in the platform's registry), which must exist locally.</summary>
    static async Task<string> ImageAsync(IContainerPlatform platform, WorkspaceKind kind, CancellationToken ct)
    {
        var names = new WorkspaceNames(new ConfigurationBuilder().Build(), Options.Create(new WorkspacesOptions()));
        var image = names.BaseImage(kind);
        return await platform.InspectImageAsync(image, ct) is null
            ? throw new InvalidOperationException($"No image {image}: build it with `classcloud images build {WorkspaceWords.Of(kind)}`.")
            : image;
    }

    static string Goal(string what, double value, double goal, string unit, bool lower) =>
        Invariant($"Goal (issue 5), {what}: {value:0.00}{unit} against ≤ {goal}{unit} — {((lower ? value <= goal : value >= goal) ? "met" : "not met")}.");

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
