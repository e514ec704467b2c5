using System.Text.RegularExpressions;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class LimitTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    [Fact]
    public async Task Workloads_run_unprivileged_with_their_limits()
    {
        var spec = Spec("limits") with { Resources = new WorkloadResources(Cpus: 0.25, MemoryBytes: 48 * MiB, Pids: 32) };
        await Platform.EnsureAsync(spec, Timeout());
        var status = await RunAsync(spec.Id, "cat", "/proc/1/status");
        Assert.Matches(@"(?m)^Uid:\s+1000\s+1000\s+1000\s+1000$", status.Stdout);
        Assert.Matches(@"(?m)^CapEff:\s+0000000000000000$", status.Stdout);
        Assert.Matches(@"(?m)^CapBnd:\s+0000000000000000$", status.Stdout);
        Assert.Matches(@"(?m)^NoNewPrivs:\s+1$", status.Stdout);

        // cgroup v1 files as the engine set them.
        var cgroup = await RunAsync(spec.Id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us");
        Assert.Equal($"{48 * MiB}\n32\n25000\n100000\n", cgroup.Stdout);
        Assert.Equal("300\n", (await RunAsync(spec.Id, "cat", "/proc/1/oom_score_adj")).Stdout);
    }

    [Fact]
    public async Task Capabilities_a_spec_lists_are_kept_and_dangerous_ones_or_root_are_refused()
    {
        var spec = Spec("caps") with { Capabilities = ["NET_BIND_SERVICE"] };
        await Platform.EnsureAsync(spec, Timeout());
        var status = await RunAsync(spec.Id, "grep", "CapBnd", "/proc/1/status");
        Assert.Matches(@"CapBnd:\s+0000000000000400", status.Stdout);  // bit 10 only

        await Assert.ThrowsAsync<ArgumentException>(() => Platform.CreateAsync(Spec("admin") with { Capabilities = ["SYS_ADMIN"] }, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => Platform.CreateAsync(Spec("root") with { User = "0" }, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => Platform.CreateAsync(Spec("label") with { Labels = new Dictionary<string, string> { [PlatformInfo.WorkloadLabel] = "x" } }, Timeout()));
    }

    [Fact]
    public async Task A_memory_hog_is_oom_killed_and_reported_while_its_neighbour_runs_on()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var neighbour = Spec("calm");
        var hog = Spec("hog", "tail", "/dev/zero") with { Resources = new WorkloadResources(MemoryBytes: 32 * MiB) };
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var oom = Task.Run(async () =>
        {
            await foreach (var e in Platform.WatchAsync(stop.Token))
            {
                if (e.Workload == neighbour.Id)
                {
                    live.TrySetResult();
                }
                if (e.Workload == hog.Id && e.Kind == PlatformEventKind.OomKilled)
                {
                    return e;
                }
            }
            return null;
        }, stop.Token);
        await Platform.EnsureAsync(neighbour, stop.Token);
        // The engine streams events from the moment the watch subscribes, which on a loaded machine can be after
        // the neighbour started: restart it until the watch has seen one of its events, then the hog's OOM kill
        // cannot slip past unseen.
        while (!live.Task.IsCompleted)
        {
            try
            {
                await live.Task.WaitAsync(TimeSpan.FromSeconds(2), stop.Token);
            }
            catch (TimeoutException)
            {
                await Platform.RestartAsync(neighbour.Id, stop.Token);
            }
        }
        await Platform.EnsureAsync(hog, stop.Token);

        Assert.NotNull(await oom);
        var instance = Assert.Single((await WaitUntilExitedAsync(hog.Id, stop.Token)).Instances);
        Assert.True(instance.OomKilled);
        Assert.Equal(137, instance.ExitCode);
        Assert.Equal(InstanceState.Running, Assert.Single((await Platform.GetAsync(neighbour.Id, stop.Token))!.Instances).State);
        Assert.Equal(0, (await RunAsync(neighbour.Id, "true")).ExitCode);
    }

    [Fact]
    public async Task A_fork_bomb_stops_at_the_pids_limit()
    {
        var spec = Spec("forks") with { Resources = new WorkloadResources(Pids: 20) };
        await Platform.EnsureAsync(spec, Timeout());
        var result = await RunAsync(spec.Id, "bash", "-c", "for i in $(seq 1 40); do sleep 5 & done 2>&1 | head -n 1; cat /sys/fs/cgroup/pids/pids.current");
        Assert.Contains("fork: retry", result.Stdout, StringComparison.Ordinal);
        Assert.InRange(int.Parse(Regex.Match(result.Stdout, @"(\d+)\s*$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 20);
    }

    async Task<WorkloadStatus> WaitUntilExitedAsync(WorkloadId id, CancellationToken ct)
    {
        while (true)
        {
            var status = await Platform.GetAsync(id, ct);
            if (status!.Instances.All(i => i.State == InstanceState.Exited))
            {
                return status;
            }
            await Task.Delay(100, ct);
        }
    }
}
