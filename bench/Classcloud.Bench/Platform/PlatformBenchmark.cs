using System.Diagnostics;
using Classcloud.Bench.Runner;
using Classcloud.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Bench.Platform;

/// <summary>
/// Issue 3's benchmark on the real Docker Engine: workload start (driver and controller) next to
/// bare `docker run -d`, a burst of N workloads at once, and memory per idle workload.
/// Everything it makes carries the label classcloud.bench=&lt;run&gt; and is removed at the end.
/// </summary>
internal sealed class PlatformBenchmark : IBenchmark
{
    const double GoalStartRatio = 1.2;
    public const string BenchLabel = "classcloud.bench";

    public string Name => "platform";

    public async Task<BenchmarkReport> RunAsync(BenchOptions options, string hostDll, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var machine = MachineInfo.Current(hostDll);
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var services = new ServiceCollection()
            .AddContainerPlatform(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        var platform = services.GetRequiredService<IContainerPlatform>();
        var engine = await platform.GetEngineInfoAsync(ct);
        var image = Environment.GetEnvironmentVariable("CLASSCLOUD_BENCH_IMAGE") ?? await DockerCli.FindImageAsync("classcloud/base", ct)
            ?? throw new InvalidOperationException("No base image: run `images/base/build.sh` (or ./run.sh) first, or set CLASSCLOUD_BENCH_IMAGE.");
        var context = new PlatformRun(run, platform, image);
        var samples = options.Samples ?? 50;
        var latencies = new List<LatencySummary>();
        var figures = new List<Figure>();
        var notes = new List<string>
        {
            $"Engine: Docker {engine.Version} (API {engine.ApiVersion}); image `{image}`; every container of the run is labelled {BenchLabel}={run} and removed afterwards.",
            "Bare baselines use the `docker` command line (its own process start included, as an operator would type it); the driver runs in the benchmark's process over the engine socket.",
        };
        try
        {
            latencies.AddRange(await StartLatencyAsync(context, samples, notes, ct));
            var api = await ApiStart.RunAsync(context, options, hostDll, samples, ct);
            latencies.AddRange(api);
            notes.Add($"Goal (issue 3) through the API: `api-start` p50 is {api[1].P50VsBaseline:0.00}× bare `docker start` of a stopped container " +
                $"and {api[1].P50Ms / Math.Max(latencies[0].P50Ms, 0.001):0.00}× bare `docker run -d` ({(api[1].P50Ms <= GoalStartRatio * latencies[0].P50Ms ? "met" : "not met")} against docker run).");
            var burst = await PlatformBurst.RunAsync(context, options, hostDll, ct);
            figures.AddRange(burst.Figures);
            notes.AddRange(burst.Notes);
            if (options.Density > 0)
            {
                var density = await PlatformDensity.RunAsync(context, options.Density, ct);
                figures.AddRange(density.Figures);
                notes.AddRange(density.Notes);
            }
        }
        finally
        {
            ScenarioRounds.Progress("cleaning up");
            await DockerCli.RemoveLabelledAsync($"{BenchLabel}={run}", CancellationToken.None);
        }
        var settings = new BenchSettings(1, 0, 0, samples, ["docker"]);
        return new BenchmarkReport(Name, "Container platform: workload start, burst and density", started, settings,
            machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() }, [], notes)
        {
            Latencies = latencies,
            Figures = figures,
        };
    }

    /// <summary>
    /// Interleaved per sample (bare run, bare create + start, driver): the machine's noise falls on
    /// every series alike. The container is removed between samples, outside the timing.
    /// </summary>
    static async Task<IReadOnlyList<LatencySummary>> StartLatencyAsync(PlatformRun context, int samples, List<string> notes, CancellationToken ct)
    {
        var bareRun = new LatencySeries("start", "docker-run", "`docker run -d IMAGE sleep infinity`: returns when the container runs");
        var bareCreate = new LatencySeries("start", "docker-create", "`docker create` of the same container (the part a kept, stopped workload skips)");
        var bareStart = new LatencySeries("start", "docker-start", "`docker start` of that created container");
        var driver = new LatencySeries("start", "driver-ensure", "IContainerPlatform.EnsureAsync: create + start with the security defaults and limits, until running");
        var driverStart = new LatencySeries("start", "driver-start", "IContainerPlatform.StartAsync of a created (stopped) workload, until running");
        for (var i = 0; i < samples; i++)
        {
            ScenarioRounds.Progress($"start: sample {i + 1}/{samples}");
            await TimeAsync(bareRun, () => DockerCli.RunAsync(["run", "-d", .. context.BareArgs, context.Image, "sleep", "infinity"], ct));
            await DockerCli.RemoveLabelledAsync($"{BenchLabel}={context.Run}", ct);

            var created = await DockerCli.RunAsync(["create", .. context.BareArgs, context.Image, "sleep", "infinity"], ct);
            Record(bareCreate, created);
            if (created.Ok)
            {
                await TimeAsync(bareStart, () => DockerCli.RunAsync(["start", created.Stdout], ct));
            }
            await DockerCli.RemoveLabelledAsync($"{BenchLabel}={context.Run}", ct);

            var spec = context.Spec($"b-{context.Run}-s{i}");
            await TimeAsync(driver, async () =>
            {
                var status = await context.Platform.EnsureAsync(spec, ct);
                return status.Running == 1 ? null : $"not running: {status.Instances[0].State}";
            });
            await context.Platform.StopAsync(spec.Id, ct);
            await TimeAsync(driverStart, async () =>
            {
                await context.Platform.StartAsync(spec.Id, ct);
                return (string?)null;
            });
            await context.Platform.RemoveAsync(spec.Id, ct);
        }
        var ratio = driver.P50 / Math.Max(bareRun.P50, 0.001);
        notes.Add($"Goal (issue 3): workload start ≤ {GoalStartRatio}× bare `docker run -d` — driver p50 {driver.P50:0} ms vs {bareRun.P50:0} ms = {ratio:0.00}× ({(ratio <= GoalStartRatio ? "met" : "not met")}).");
        return [bareRun.Summarize(null), bareCreate.Summarize(bareRun), bareStart.Summarize(bareRun), driver.Summarize(bareRun), driverStart.Summarize(bareStart)];
    }

    static async Task TimeAsync(LatencySeries series, Func<Task<DockerCli.Result>> action)
    {
        var result = await action();
        Record(series, result);
    }

    static void Record(LatencySeries series, DockerCli.Result result)
    {
        if (result.Ok)
        {
            series.Add(result.Milliseconds);
        }
        else
        {
            series.Fail(result.Error);
        }
    }

    /// <summary>Times an in-process operation; a non-null string it returns is a failure.</summary>
    static async Task TimeAsync(LatencySeries series, Func<Task<string?>> action)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var error = await action();
            if (error is null)
            {
                series.Add(clock.Elapsed.TotalMilliseconds);
            }
            else
            {
                series.Fail(error);
            }
        }
        catch (PlatformException ex)
        {
            series.Fail(ex.Message);
        }
    }
}

/// <summary>What every part of one benchmark run shares.</summary>
internal sealed record PlatformRun(string Run, IContainerPlatform Platform, string Image)
{
    const long MiB = 1024 * 1024;

    /// <summary>The bare containers: the run's label, no network, the same memory limit as the driver's spec.</summary>
    public IReadOnlyList<string> BareArgs => ["--label", $"{PlatformBenchmark.BenchLabel}={Run}", "--network", "none", "--memory", "128m"];

    public WorkloadSpec Spec(string id, string? image = null, IReadOnlyList<string>? command = null, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Id = new WorkloadId(id),
        Image = image ?? Image,
        Command = image is null ? command ?? ["sleep", "infinity"] : command,
        Environment = environment ?? new Dictionary<string, string>(),
        Labels = new Dictionary<string, string> { [PlatformBenchmark.BenchLabel] = Run },
        Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 128 * MiB, Pids: 128),
        StopGracePeriod = TimeSpan.FromSeconds(1),
    };
}
