using Classcloud.Bench.Runner;
using Classcloud.Platform;

namespace Classcloud.Bench.Platform;

/// <summary>
/// Memory per idle workload: N of the terminal and N of the desktop image started by the driver,
/// next to N bare `sleep` containers of the base image (the least a container costs on this engine).
/// Measured twice: the machine's MemAvailable drop (engine, shims and page cache included) and the
/// containers' own cgroups.
/// </summary>
internal static class PlatformDensity
{
    const double MiB = 1024 * 1024;
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    public sealed record Outcome(IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes);

    public static async Task<Outcome> RunAsync(PlatformRun context, int n, CancellationToken ct)
    {
        var figures = new List<Figure>();
        var notes = new List<string>();
        var bare = await MeasureAsync(context, "bare", n, i => context.Spec($"b-{context.Run}-m{i}"), ct);
        figures.Add(new Figure("density", "bare-sleep-host-mib", bare.HostMiB, "MiB", null, null, $"MemAvailable drop per container, {n} bare `sleep infinity` containers of the base image"));
        var goals = new Dictionary<string, double> { ["terminal"] = 25, ["desktop"] = 80 };
        foreach (var kind in new[] { "terminal", "desktop" })
        {
            var image = Environment.GetEnvironmentVariable($"CLASSCLOUD_BENCH_{kind.ToUpperInvariant()}_IMAGE")
                ?? await DockerCli.FindImageAsync($"classcloud/image/system/{kind}", ct);
            if (image is null)
            {
                notes.Add($"Density of `{kind}` skipped: no image (build it with `classcloud images build {kind}`).");
                continue;
            }
            // The desktop's VNC server refuses to start without a password; the image's own command runs.
            var environment = new Dictionary<string, string> { ["CLASSCLOUD_VNC_PASSWORD"] = "bench-" + context.Run };
            var m = await MeasureAsync(context, kind, n, i => context.Spec($"b-{context.Run}-{kind[0]}{i}", image, null, environment), ct);
            figures.Add(new Figure("density", $"{kind}-host-mib", m.HostMiB, "MiB", bare.HostMiB, "bare sleep", $"MemAvailable drop per idle `{kind}` workload ({image}), {n} running, engine overhead included"));
            figures.Add(new Figure("density", $"{kind}-cgroup-mib", m.CgroupMiB, "MiB", bare.CgroupMiB, "bare sleep", $"Memory charged to each idle `{kind}` workload's own cgroup (as `docker stats` shows), median"));
            notes.Add($"Goal (issue 5) for `{kind}`: ≤ {goals[kind]} MiB per idle workload, engine included — measured {m.HostMiB:0.0} MiB ({(m.HostMiB <= goals[kind] ? "met" : "not met")}); {m.Failures} of {n} failed to start.");
        }
        return new Outcome(figures, notes);
    }

    sealed record Measure(double HostMiB, double CgroupMiB, int Failures);

    static async Task<Measure> MeasureAsync(PlatformRun context, string kind, int n, Func<int, WorkloadSpec> spec, CancellationToken ct)
    {
        ScenarioRounds.Progress($"density: {n} idle {kind} workloads");
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var before = HostFacts.MemoryAvailableBytes();
        var failures = 0;
        var ids = new List<string>();
        // A few at a time: the figure is memory at rest, not the cost of a burst.
        foreach (var chunk in Enumerable.Range(0, n).Chunk(10))
        {
            var started = await Task.WhenAll(chunk.Select(async i =>
            {
                try
                {
                    var status = await context.Platform.EnsureAsync(spec(i), ct);
                    return status.Instances[0].InstanceId;
                }
                catch (PlatformException)
                {
                    return null;
                }
            }));
            failures += started.Count(s => s is null);
            ids.AddRange(started.OfType<string>());
        }
        await Task.Delay(Settle, ct);
        var after = HostFacts.MemoryAvailableBytes();
        var cgroups = ids.Select(HostFacts.ContainerMemoryBytes).OfType<long>().Select(b => b / MiB).ToList();
        await DockerCli.RemoveLabelledAsync($"{PlatformBenchmark.BenchLabel}={context.Run}", ct);
        var running = Math.Max(ids.Count, 1);
        return new Measure((before - after) / MiB / running, LatencySeries.Percentile(cgroups, 0.5), failures);
    }
}
