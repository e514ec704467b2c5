using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Classcloud.Platform.Tests.Contract;

/// <summary>
/// What every driver must do the same way, run once per driver (DockerContract on the real engine,
/// KubernetesContract on the Kubernetes driver against the loopback fake API server). Drivers may
/// take time to converge (a pod is scheduled, then started), so tests wait for states with a
/// deadline instead of expecting them at once.
/// </summary>
public abstract class PlatformContract : IAsyncLifetime
{
    protected static readonly string[] Idle = ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

    readonly string run = Guid.NewGuid().ToString("N")[..8];
    readonly List<string> tenants = [];
    int counter;

    protected abstract IContainerPlatform Platform { get; }

    protected abstract string Image { get; }

    IReadOnlyDictionary<string, string> RunLabels => new Dictionary<string, string> { ["classcloud.io/test-run"] = run };

    string NewName(string name) => $"c-{name}-{run}-{counter++.ToString(CultureInfo.InvariantCulture)}";

    WorkloadSpec Spec(string name, string? tenant = null) => new()
    {
        Id = new WorkloadId(NewName(name)),
        Image = Image,
        Command = Idle,
        Labels = RunLabels,
        Tenant = tenant,
        Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 64L * 1024 * 1024, Pids: 64),
        StopGracePeriod = TimeSpan.FromSeconds(2),
    };

    async Task<string> NewTenantAsync(string name)
    {
        var tenant = NewName(name);
        tenants.Add(tenant);
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, Timeout());
        return tenant;
    }

    protected static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Polls until the workload's status satisfies <paramref name="done"/>; returns the last status seen.</summary>
    async Task<WorkloadStatus?> WaitForAsync(WorkloadId id, Func<WorkloadStatus?, bool> done, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        WorkloadStatus? status;
        do
        {
            status = await Platform.GetAsync(id, Timeout());
            if (done(status))
            {
                return status;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return status;
    }

    [Fact]
    public async Task Create_defines_a_stopped_workload_that_start_runs_and_stop_stops()
    {
        var spec = Spec("life");
        var created = await Platform.CreateAsync(spec, Timeout());
        Assert.Equal(InstanceState.Created, Assert.Single(created.Instances).State);
        Assert.Equal(0, created.Running);
        Assert.Equal(spec.Image, created.Spec?.Image);

        await Platform.StartAsync(spec.Id, Timeout());
        var running = await WaitForAsync(spec.Id, s => s?.Running == 1);
        Assert.Equal(InstanceState.Running, Assert.Single(running!.Instances).State);
        Assert.NotNull(running.Instances[0].StartedAt);

        await Platform.StopAsync(spec.Id, Timeout());
        var stopped = await Platform.GetAsync(spec.Id, Timeout());
        Assert.Equal(0, stopped!.Running);
        Assert.Equal(InstanceState.Exited, Assert.Single(stopped.Instances).State);

        await Platform.RestartAsync(spec.Id, Timeout());
        Assert.Equal(1, (await WaitForAsync(spec.Id, s => s?.Running == 1))!.Running);
    }

    [Fact]
    public async Task Ensures_of_one_spec_racing_each_other_all_succeed_with_one_running_instance()
    {
        // The reconciler and a workspace job (or two hosts) may create the same workload at the same moment.
        var spec = Spec("race");
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Platform.EnsureAsync(spec, Timeout())));
        Assert.All(results, r => Assert.Equal(spec.Id, r.Id));
        var running = await WaitForAsync(spec.Id, s => s?.Running == 1);
        Assert.Equal(0, Assert.Single(running!.Instances).Replica);
    }

    [Fact]
    public async Task Scale_adds_and_removes_replicas_of_a_running_workload()
    {
        var spec = Spec("scale");
        await Platform.EnsureAsync(spec, Timeout());
        var scaled = await Platform.ScaleAsync(spec.Id, 3, Timeout());
        Assert.Equal(3, scaled.Spec?.Replicas);
        var three = await WaitForAsync(spec.Id, s => s?.Running == 3);
        Assert.Equal([0, 1, 2], three!.Instances.Select(i => i.Replica));

        await Platform.ScaleAsync(spec.Id, 1, Timeout());
        var one = await WaitForAsync(spec.Id, s => s?.Running == 1 && s.Instances.Count == 1);
        Assert.Single(one!.Instances);
        Assert.Equal(1, one.Spec?.Replicas);
    }

    [Fact]
    public async Task Remove_removes_everything_once_and_list_finds_by_label()
    {
        var a = Spec("list-a") with { Labels = new Dictionary<string, string>(RunLabels) { ["classcloud.io/kind"] = "a" } };
        var b = Spec("list-b") with { Labels = new Dictionary<string, string>(RunLabels) { ["classcloud.io/kind"] = "b" } };
        await Platform.CreateAsync(a, Timeout());
        await Platform.CreateAsync(b, Timeout());

        var onlyA = await Platform.ListAsync(new Dictionary<string, string> { ["classcloud.io/test-run"] = run, ["classcloud.io/kind"] = "a" }, Timeout());
        Assert.Equal([a.Id], onlyA.Select(w => w.Id));
        Assert.Equal(2, (await Platform.ListAsync(RunLabels, Timeout())).Count);

        Assert.True(await Platform.RemoveAsync(a.Id, Timeout()));
        Assert.Null(await Platform.GetAsync(a.Id, Timeout()));
        Assert.False(await Platform.RemoveAsync(a.Id, Timeout()));
        Assert.Equal([b.Id], (await Platform.ListAsync(RunLabels, Timeout())).Select(w => w.Id));
    }

    [Fact]
    public async Task Run_collects_stdout_stderr_and_the_exit_code_with_environment_and_directory()
    {
        var spec = Spec("run");
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);

        var result = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["sh", "-c", "echo out; echo err >&2; exit 3"] }, Timeout());
        Assert.Equal(new ExecResult(3, "out\n", "err\n", false), result);

        var env = await Platform.RunAsync(spec.Id, new ExecRequest
        {
            Command = ["sh", "-c", "pwd; printenv GREETING; id -u"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            WorkingDirectory = "/tmp",
        }, Timeout());
        Assert.Equal("/tmp\nhello\n1000\n", env.Stdout);
        Assert.Equal(0, env.ExitCode);

        var echoed = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["cat"], Input = Encoding.UTF8.GetBytes("typed input") }, Timeout());
        Assert.Equal("typed input", echoed.Stdout);
    }

    [Fact]
    public async Task An_exec_without_input_reads_end_of_file_and_streams_to_its_end_without_stdin_being_closed()
    {
        var spec = Spec("noinput");
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);

        // `cat` ends only at the end of its input: with stdin attached and never closed it would wait for ever
        // (and a Kubernetes API server before 1.30 cannot close it); without, it ends at once.
        await using var session = await Platform.ExecAsync(spec.Id, new ExecRequest { Command = ["cat"], NoInput = true }, Timeout());
        var (text, ended) = await ReadUntilAsync(session, _ => false);
        Assert.True(ended, "the output did not end: stdin was attached");
        Assert.Equal("", text);
        Assert.Equal(0, await session.GetExitCodeAsync(Timeout()));
    }

    [Fact]
    public async Task A_terminal_echoes_resizes_and_reports_its_exit_code()
    {
        var spec = Spec("tty");
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);

        await using var session = await Platform.ExecAsync(spec.Id, new ExecRequest { Command = ["sh"], Tty = true }, Timeout());
        Assert.True(session.Tty);
        await session.ResizeAsync(120, 40, Timeout());
        await session.WriteAsync(Encoding.UTF8.GetBytes("stty size\r"), Timeout());
        var (text, _) = await ReadUntilAsync(session, t => t.Contains("40 120", StringComparison.Ordinal));
        Assert.Contains("stty size", text, StringComparison.Ordinal);  // the terminal echoed the keys
        Assert.Contains("40 120", text, StringComparison.Ordinal);

        await session.WriteAsync(Encoding.UTF8.GetBytes("exit 5\r"), Timeout());
        var (_, ended) = await ReadUntilAsync(session, _ => false);
        Assert.True(ended);
        int? code = null;
        for (var i = 0; i < 40 && code is null; i++)
        {
            code = await session.GetExitCodeAsync(Timeout());
            await Task.Delay(code is null ? 50 : 0);
        }
        Assert.Equal(5, code);
    }

    [Fact]
    public async Task A_volume_in_use_cannot_be_removed_until_its_workload_is_gone()
    {
        var volume = NewName("vol");
        var info = await Platform.EnsureVolumeAsync(volume, RunLabels, Timeout());
        Assert.Equal(volume, info.Name);
        Assert.Equal(run, info.Labels["classcloud.io/test-run"]);
        Assert.Equal(volume, (await Platform.EnsureVolumeAsync(volume, RunLabels, Timeout())).Name);
        Assert.Equal([volume], (await Platform.ListVolumesAsync(RunLabels, Timeout())).Select(v => v.Name));

        var spec = Spec("vol") with { Volumes = [new VolumeMount(volume, "/data")] };
        await Platform.CreateAsync(spec, Timeout());
        await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.RemoveVolumeAsync(volume, Timeout()));

        await Platform.RemoveAsync(spec.Id, Timeout());
        Assert.True(await Platform.RemoveVolumeAsync(volume, Timeout()));
        Assert.False(await Platform.RemoveVolumeAsync(volume, Timeout()));
        Assert.Empty(await Platform.ListVolumesAsync(RunLabels, Timeout()));
    }

    [Fact]
    public async Task A_tenant_network_is_listed_and_cannot_be_removed_while_a_workload_uses_it()
    {
        var tenant = await NewTenantAsync("net");
        var again = await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, Timeout());
        Assert.Equal(tenant, again.Tenant);
        Assert.True(again.Internal);
        Assert.Contains(await Platform.ListTenantNetworksAsync(Timeout()), n => n.Tenant == tenant && n.Internal);

        var spec = Spec("net", tenant);
        await Platform.EnsureAsync(spec, Timeout());
        await WaitForAsync(spec.Id, s => s?.Running == 1);
        await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.RemoveTenantNetworkAsync(tenant, Timeout()));

        await Platform.RemoveAsync(spec.Id, Timeout());
        Assert.True(await Platform.RemoveTenantNetworkAsync(tenant, Timeout()));
        Assert.False(await Platform.RemoveTenantNetworkAsync(tenant, Timeout()));
        Assert.DoesNotContain(await Platform.ListTenantNetworksAsync(Timeout()), n => n.Tenant == tenant);
    }

    [Fact]
    public async Task Errors_are_typed()
    {
        var missing = new WorkloadId(NewName("missing"));
        Assert.Null(await Platform.GetAsync(missing, Timeout()));
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.StartAsync(missing, Timeout()));
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.ScaleAsync(missing, 2, Timeout()));
        Assert.False(await Platform.RemoveAsync(missing, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => Platform.CreateAsync(Spec("root") with { User = "0" }, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => Platform.CreateAsync(Spec("caps") with { Capabilities = ["SYS_ADMIN"] }, Timeout()));
        // Docker refuses at start, Kubernetes at create: either way the workload never runs.
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.EnsureAsync(Spec("nonet", NewName("no-such-tenant")), Timeout()));

        var stopped = Spec("stopped");
        await Platform.CreateAsync(stopped, Timeout());
        await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.RunAsync(stopped.Id, new ExecRequest { Command = ["true"] }, Timeout()));
    }

    [Fact]
    public async Task Watch_reports_a_workload_starting()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = Channel.CreateUnbounded<PlatformEvent>();
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in Platform.WatchAsync(cancel.Token))
                {
                    await events.Writer.WriteAsync(e, cancel.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await WatchIsLiveAsync(events.Reader, cancel.Token);
        var spec = Spec("watch");
        await Platform.EnsureAsync(spec, Timeout());
        var seen = new List<PlatformEvent>();
        try
        {
            while (!seen.Any(e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Started))
            {
                seen.Add(await events.Reader.ReadAsync(cancel.Token));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await cancel.CancelAsync();
        await watching;
        var started = Assert.Single(seen, e => e.Workload == spec.Id && e.Kind == PlatformEventKind.Started);
        Assert.Equal(0, started.Replica);
    }

    Task WatchIsLiveAsync(ChannelReader<PlatformEvent> events, CancellationToken ct) => Infrastructure.WatchProbe.IsLiveAsync(Platform, name => Spec(name), events, ct);

    static Task<(string Text, bool Ended)> ReadUntilAsync(IStreamSession session, Func<string, bool> done, int seconds = 15) =>
        Infrastructure.EngineTest.ReadUntilAsync(session, done, seconds);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        var ct = Timeout(60);
        foreach (var workload in await Platform.ListAsync(RunLabels, ct))
        {
            await Platform.RemoveAsync(workload.Id, ct);
        }
        foreach (var volume in await Platform.ListVolumesAsync(RunLabels, ct))
        {
            await Platform.RemoveVolumeAsync(volume.Name, ct);
        }
        foreach (var tenant in tenants)
        {
            await Platform.RemoveTenantNetworkAsync(tenant, ct);
        }
    }
}
