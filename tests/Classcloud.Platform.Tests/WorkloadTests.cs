using System.Diagnostics;
using System.Threading.Channels;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class WorkloadTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    [Fact]
    public async Task Engine_is_the_docker_engine_on_api_1_41()
    {
        var info = await Platform.GetEngineInfoAsync(Timeout());
        Output.WriteLine($"engine {info.Version}, cgroup v{info.Details["cgroupVersion"]}, {info.Cpus} cpus; {Engine.ImageBuildNote}");
        Assert.Equal("docker", info.Driver);
        Assert.Equal("1.41", info.ApiVersion);
        Assert.False(string.IsNullOrEmpty(info.Version));
        Assert.True(info.Cpus > 0 && info.MemoryBytes > 0);
    }

    [Fact]
    public async Task Create_start_stop_restart_remove_and_list_by_label()
    {
        var spec = Spec("life") with { Labels = new Dictionary<string, string>(RunLabels) { ["classcloud.io/kind"] = "test" } };
        var clock = Stopwatch.StartNew();
        var created = await Platform.CreateAsync(spec, Timeout());
        var createMs = clock.ElapsedMilliseconds;
        var instance = Assert.Single(created.Instances);
        Assert.Equal(InstanceState.Created, instance.State);
        Assert.Equal(spec.Id, created.Id);
        Assert.Equal(spec.Image, created.Spec?.Image);

        clock.Restart();
        await Platform.StartAsync(spec.Id, Timeout());
        var startMs = clock.ElapsedMilliseconds;
        Output.WriteLine($"create {createMs} ms, start {startMs} ms (through the driver)");
        var running = Assert.Single((await Platform.GetAsync(spec.Id, Timeout()))!.Instances);
        Assert.Equal(InstanceState.Running, running.State);
        Assert.NotNull(running.StartedAt);

        var listed = await Platform.ListAsync(new Dictionary<string, string> { ["classcloud.io/kind"] = "test", ["classcloud.io/test-run"] = RunLabels["classcloud.io/test-run"] }, Timeout());
        Assert.Equal(spec.Id, Assert.Single(listed).Id);
        Assert.Empty(await Platform.ListAsync(new Dictionary<string, string> { ["classcloud.io/kind"] = "other", ["classcloud.io/test-run"] = RunLabels["classcloud.io/test-run"] }, Timeout()));

        await Platform.StopAsync(spec.Id, Timeout());
        var stopped = Assert.Single((await Platform.GetAsync(spec.Id, Timeout()))!.Instances);
        Assert.Equal(InstanceState.Exited, stopped.State);
        Assert.Equal(0, stopped.ExitCode);  // the TERM trap exits 0: stopped politely, not killed

        await Platform.RestartAsync(spec.Id, Timeout());
        var restarted = Assert.Single((await Platform.GetAsync(spec.Id, Timeout()))!.Instances);
        Assert.Equal(InstanceState.Running, restarted.State);
        Assert.True(restarted.StartedAt > running.StartedAt);

        Assert.True(await Platform.RemoveAsync(spec.Id, Timeout()));
        Assert.Null(await Platform.GetAsync(spec.Id, Timeout()));
        Assert.False(await Platform.RemoveAsync(spec.Id, Timeout()));
    }

    [Fact]
    public async Task Pause_freezes_and_unpause_thaws_every_replica_and_both_are_idempotent()
    {
        var spec = Spec("pause") with { Replicas = 2 };
        await Platform.EnsureAsync(spec, Timeout());

        await Platform.PauseAsync(spec.Id, Timeout());
        await Platform.PauseAsync(spec.Id, Timeout());  // already paused: no 409 from the engine
        var paused = (await Platform.GetAsync(spec.Id, Timeout()))!;
        Assert.All(paused.Instances, i => Assert.Equal(InstanceState.Paused, i.State));
        Assert.Equal(2, paused.Running);  // a paused workload still holds its memory and connections

        var clock = Stopwatch.StartNew();
        await Platform.UnpauseAsync(spec.Id, Timeout());
        Output.WriteLine($"unpause of 2 replicas: {clock.ElapsedMilliseconds} ms");
        await Platform.UnpauseAsync(spec.Id, Timeout());
        var thawed = (await Platform.GetAsync(spec.Id, Timeout()))!;
        Assert.All(thawed.Instances, i => Assert.Equal(InstanceState.Running, i.State));
        var echo = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["echo", "awake"] }, Timeout());
        Assert.Equal("awake", echo.Stdout.Trim());

        await Platform.StopAsync(spec.Id, Timeout());
        await Platform.PauseAsync(spec.Id, Timeout());  // nothing running: nothing to freeze
        Assert.All((await Platform.GetAsync(spec.Id, Timeout()))!.Instances, i => Assert.Equal(InstanceState.Exited, i.State));
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.PauseAsync(new WorkloadId("cc-missing-pause"), Timeout()));
    }

    [Fact]
    public async Task Ensure_is_idempotent_and_replaces_instances_whose_spec_changed()
    {
        var spec = Spec("ensure");
        var first = Assert.Single((await Platform.EnsureAsync(spec, Timeout())).Instances);
        Assert.Equal(InstanceState.Running, first.State);
        var again = Assert.Single((await Platform.EnsureAsync(spec, Timeout())).Instances);
        Assert.Equal(first.InstanceId, again.InstanceId);

        var changed = spec with { Environment = new Dictionary<string, string> { ["GREETING"] = "hello" } };
        var replaced = Assert.Single((await Platform.EnsureAsync(changed, Timeout())).Instances);
        Assert.NotEqual(first.InstanceId, replaced.InstanceId);
        Assert.Equal(InstanceState.Running, replaced.State);
        Assert.Equal("hello\n", (await RunAsync(spec.Id, "bash", "-c", "echo $GREETING")).Stdout);
    }

    [Fact]
    public async Task Scale_adds_and_removes_replicas_reachable_by_ordinal()
    {
        var spec = Spec("scale");
        await Platform.EnsureAsync(spec, Timeout());
        var up = await Platform.ScaleAsync(spec.Id, 3, Timeout());
        Assert.Equal([0, 1, 2], up.Instances.Select(i => i.Replica));
        Assert.Equal(3, up.Running);
        Assert.Equal(3, up.Spec?.Replicas);
        var exec = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["hostname"], Replica = 2 }, Timeout());
        Assert.Equal(0, exec.ExitCode);

        var down = await Platform.ScaleAsync(spec.Id, 1, Timeout());
        Assert.Equal(0, Assert.Single(down.Instances).Replica);
        Assert.Equal(up.Instances[0].InstanceId, down.Instances[0].InstanceId);
    }

    [Fact]
    public async Task Events_report_create_start_exit_and_remove()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var spec = Spec("events");
        var seen = new List<PlatformEvent>();
        var events = Channel.CreateUnbounded<PlatformEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Platform.WatchAsync(stop.Token))
            {
                await events.Writer.WriteAsync(e, stop.Token);
                if (e.Workload == spec.Id && e.Kind == PlatformEventKind.Removed)
                {
                    return;
                }
            }
        }, stop.Token);
        // The watch is connected once it reports a probe of ours (no sleep hoping it connected meanwhile).
        await WatchIsLiveAsync(events.Reader, stop.Token);

        await Platform.EnsureAsync(spec, stop.Token);
        await Platform.StopAsync(spec.Id, stop.Token);
        await Platform.RemoveAsync(spec.Id, stop.Token);
        await watching;
        events.Writer.Complete();
        await foreach (var e in events.Reader.ReadAllAsync(stop.Token))
        {
            if (e.Workload == spec.Id)
            {
                seen.Add(e);
            }
        }

        Assert.Equal([PlatformEventKind.Created, PlatformEventKind.Started, PlatformEventKind.Exited, PlatformEventKind.Removed], seen.Select(e => e.Kind));
        Assert.Equal(0, seen[2].ExitCode);
        Assert.All(seen, e => Assert.Equal(0, e.Replica));
    }

    [Fact]
    public async Task Start_of_a_missing_workload_is_not_found_with_the_engines_message()
    {
        var missing = NewId("missing");
        var ex = await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.StartAsync(missing, Timeout()));
        Assert.Contains("No such container", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{missing}-0", ex.Message, StringComparison.Ordinal);
        Assert.Equal(404, ex.StatusCode);
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => RunAsync(missing, "true"));
        Assert.Null(await Platform.GetAsync(missing, Timeout()));
    }

    [Fact]
    public async Task A_missing_image_is_not_found()
    {
        var spec = Spec("noimage") with { Image = "classcloud-test/does-not-exist:1" };
        var ex = await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.CreateAsync(spec, Timeout()));
        Assert.Contains("No such image", ex.Message, StringComparison.Ordinal);
    }

    Task WatchIsLiveAsync(ChannelReader<PlatformEvent> events, CancellationToken ct) => WatchProbe.IsLiveAsync(Platform, name => Spec(name), events, ct);
}
