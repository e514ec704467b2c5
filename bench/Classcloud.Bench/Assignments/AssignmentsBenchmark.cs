using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;

namespace Classcloud.Bench.Assignments;

/// <summary>What the parts of one assignments run share: the run id (labels), the grader image, the options.</summary>
internal sealed record AssignmentsRun(string Run, string GraderImage, BenchOptions Options, string HostDll)
{
    public string BareLabel => $"{PlatformBenchmark.BenchLabel}={Run}";
}

/// <summary>A part's figures and notes.</summary>
internal sealed record PartResult(IReadOnlyList<LatencySummary> Latencies, IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes);

/// <summary>
/// Issue 13's engine benchmarks (`bench/run.sh assignments --only grading,collection`): grading N submissions × 5
/// tests, and the deadline collection of M course workspaces, each through a real host process on the real Docker
/// Engine with a bare `docker run` baseline from the same run. A part that fails becomes a failed row (exit 1).
/// </summary>
internal sealed class AssignmentsBenchmark : IBenchmark
{
    public static readonly string[] Parts = ["grading", "collection"];

    public string Name => "assignments";

    public async Task<BenchmarkReport> RunAsync(BenchOptions options, string hostDll, CancellationToken ct)
    {
        var unknown = options.Only.Except(Parts).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"--only: no part {string.Join(", ", unknown)}; there are {string.Join(", ", Parts)}.");
        }
        var parts = options.Only.Count > 0 ? options.Only : Parts;
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Current(hostDll);
        var grader = Environment.GetEnvironmentVariable("CLASSCLOUD_BENCH_GRADER_IMAGE")
            ?? await DockerCli.FindImageAsync("classcloud/image/system/grader", ct)
            ?? throw new InvalidOperationException("No grader image: build it with `classcloud images build grader` (or set CLASSCLOUD_BENCH_GRADER_IMAGE).");
        var r = new AssignmentsRun(Guid.NewGuid().ToString("N")[..8], grader, options, hostDll);
        var latencies = new List<LatencySummary>();
        var figures = new List<Figure>();
        var notes = new List<string>();
        try
        {
            foreach (var part in Parts.Where(parts.Contains))
            {
                try
                {
                    var result = part == "grading" ? await GradingPart.RunAsync(r, ct) : await CollectionPart.RunAsync(r, ct);
                    latencies.AddRange(result.Latencies);
                    figures.AddRange(result.Figures);
                    notes.AddRange(result.Notes);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"bench: part {part} failed: {ex}");
                    latencies.Add(new LatencySummary(part, "part-failed", $"The {part} part stopped: {ex.Message}", false, 0, 1, 0, 0, 0, 0, 0, ex.Message));
                }
            }
        }
        finally
        {
            ScenarioRounds.Progress("cleaning up");
            await DockerCli.RemoveLabelledAsync(r.BareLabel, CancellationToken.None);
        }
        var settings = new BenchSettings(1, 0, 0, options.Samples ?? 40, ["sqlite"]);
        return new BenchmarkReport(Name, "Assignments: grading submissions and collecting at the deadline", started, settings,
            machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() }, [], notes)
        {
            Latencies = latencies,
            Figures = figures,
        };
    }
}
