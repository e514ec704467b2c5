using System.Diagnostics;
using Classcloud.Bench.Runner;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Bench.Platform;

/// <summary>
/// N workloads started at once: by N parallel `docker run -d` (baseline), by the driver (N parallel
/// EnsureAsync), and by the controller of a real host process (N desired-running rows committed at once).
/// </summary>
internal static class PlatformBurst
{
    static readonly TimeSpan ControllerLimit = TimeSpan.FromMinutes(5);

    public sealed record Outcome(IReadOnlyList<Figure> Figures, IReadOnlyList<string> Notes);

    public static async Task<Outcome> RunAsync(PlatformRun context, BenchOptions options, string hostDll, CancellationToken ct)
    {
        var n = options.Burst;
        var figures = new List<Figure>();
        var notes = new List<string>();

        ScenarioRounds.Progress($"burst: {n} × docker run -d");
        var dockerd = Cpu(HostFacts.DockerdPid());
        var clock = Stopwatch.StartNew();
        var bare = await Task.WhenAll(Enumerable.Range(0, n).Select(_ =>
            DockerCli.RunAsync(["run", "-d", .. context.BareArgs, context.Image, "sleep", "infinity"], ct)));
        var bareSeconds = clock.Elapsed.TotalSeconds;
        var bareEngineCpu = dockerd.Elapsed();
        await DockerCli.RemoveLabelledAsync($"{PlatformBenchmark.BenchLabel}={context.Run}", ct);

        ScenarioRounds.Progress($"burst: {n} × driver EnsureAsync");
        dockerd = Cpu(HostFacts.DockerdPid());
        var self = Cpu(Environment.ProcessId);
        clock.Restart();
        var driver = await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
        {
            try
            {
                return (await context.Platform.EnsureAsync(context.Spec($"b-{context.Run}-d{i}"), ct)).Running == 1 ? null : "not running";
            }
            catch (PlatformException ex)
            {
                return ex.Message;
            }
        }));
        var driverSeconds = clock.Elapsed.TotalSeconds;
        var driverCpu = self.Elapsed();
        var driverEngineCpu = dockerd.Elapsed();
        await DockerCli.RemoveLabelledAsync($"{PlatformBenchmark.BenchLabel}={context.Run}", ct);

        var controller = await ControllerBurstAsync(context, options, hostDll, n, ct);

        figures.Add(new Figure("burst", "driver-burst-seconds", driverSeconds, "s", bareSeconds, "docker run -d ×N", $"Wall time until all {n} workloads run, started by the driver at once"));
        figures.Add(new Figure("burst", "controller-burst-seconds", controller.Seconds, "s", bareSeconds, "docker run -d ×N", $"Wall time from committing {n} desired-running workload rows to all {n} containers running, by the host's controller"));
        figures.Add(new Figure("burst", "controller-cpu-seconds", controller.HostCpu ?? double.NaN, "s CPU", null, null, "CPU time the Classcloud host process used during the controller burst"));
        figures.Add(new Figure("burst", "driver-cpu-seconds", driverCpu ?? double.NaN, "s CPU", null, null, "CPU time the benchmark process (the driver's client side) used during the driver burst"));
        figures.Add(new Figure("burst", "engine-cpu-seconds-driver", driverEngineCpu ?? double.NaN, "s CPU", bareEngineCpu, "dockerd, bare burst", "CPU time of dockerd during the driver burst"));
        var bareFailures = bare.Count(r => !r.Ok);
        var driverFailures = driver.Count(e => e is not null);
        notes.Add($"Burst of {n}: failures — docker run {bareFailures}, driver {driverFailures}, controller {controller.Failures} (goal: 0). " +
            $"First errors: {bare.FirstOrDefault(r => !r.Ok)?.Error ?? "none"} / {driver.FirstOrDefault(e => e is not null) ?? "none"} / {controller.FirstError ?? "none"}.");
        notes.Add("The controller burst runs the host as a process (SQLite, platform enabled, resync every second, its own controller scope); the rows are committed in one transaction, so the time includes waiting for the next reconciliation pass.");
        return new Outcome(figures, notes);
    }

    sealed record ControllerResult(double Seconds, double? HostCpu, int Failures, string? FirstError);

    static async Task<ControllerResult> ControllerBurstAsync(PlatformRun context, BenchOptions options, string hostDll, int n, CancellationToken ct)
    {
        ScenarioRounds.Progress($"burst: {n} desired-running rows for the controller");
        var settings = new Dictionary<string, string>
        {
            ["Classcloud__Platform__Enabled"] = "true",
            ["Classcloud__Controller__Scope"] = $"bench-{context.Run}",
            ["Classcloud__Controller__ResyncInterval"] = "00:00:01",
        };
        try
        {
            // The host stops before the cleanup below: its controller would otherwise start them again.
            await using var host = await ProviderHost.StartAsync("sqlite", options, hostDll, settings, ct);
            var builder = new DbContextOptionsBuilder<ClasscloudDb>().UseSqlite(host.DatabaseConnectionString);
            var now = DateTime.UtcNow;
            await using (var db = new ClasscloudDb(builder.Options))
            {
                db.Workloads.AddRange(Enumerable.Range(0, n).Select(i => new Workload
                {
                    Id = $"b-{context.Run}-c{i}",
                    Kind = "bench",
                    SpecJson = new WorkloadDefinition
                    {
                        Image = context.Image,
                        Command = ["sleep", "infinity"],
                        Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 128L * 1024 * 1024, Pids: 128),
                        Labels = new Dictionary<string, string> { [PlatformBenchmark.BenchLabel] = context.Run },
                    }.ToJson(),
                    DesiredState = WorkloadStates.Running,
                    CreatedAt = now,
                    UpdatedAt = now,
                }));
                var cpu = Cpu(host.Host.ProcessId);
                var clock = Stopwatch.StartNew();
                await db.SaveChangesAsync(ct);
                var labels = new Dictionary<string, string> { [PlatformBenchmark.BenchLabel] = context.Run };
                var running = 0;
                while (clock.Elapsed < ControllerLimit)
                {
                    running = (await context.Platform.ListAsync(labels, ct)).Count(w => w.Running == 1);
                    if (running >= n)
                    {
                        break;
                    }
                    await Task.Delay(100, ct);
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var failures = n - running;
                return new ControllerResult(seconds, cpu.Elapsed(), failures,
                    failures > 0 ? $"{failures} not running after {ControllerLimit.TotalMinutes:0} min; host log: {host.Host.Tail(5)}" : null);
            }
        }
        finally
        {
            await DockerCli.RemoveLabelledAsync($"{PlatformBenchmark.BenchLabel}={context.Run}", CancellationToken.None);
        }
    }

    static CpuClock Cpu(int? pid) => new(pid, pid is { } p ? HostFacts.CpuSeconds(p) : null);

    readonly record struct CpuClock(int? Pid, double? Start)
    {
        public double? Elapsed() => Pid is { } p && Start is { } s && HostFacts.CpuSeconds(p) is { } now ? now - s : null;
    }
}
