using System.Diagnostics;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Classcloud.Web.Monitoring;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>
/// Hosts with the controller role and the platform on, against the real engine, with short
/// intervals and a scope of their own (so nothing else on the engine counts as an orphan).
/// Removes everything labelled with its scope, and the plain containers it made, when disposed.
/// </summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    readonly SqliteHost root = new();
    readonly List<string> plainContainers = [];

    public ControllerHarness(EngineFixture engine)
    {
        Engine = engine.Platform;
        Scope = $"t-{Guid.NewGuid():N}"[..14];
        foreach (var (key, value) in Settings(Scope))
        {
            root.Configure(key, value);
        }
    }

    public IContainerPlatform Engine { get; }

    public string Scope { get; }

    static Dictionary<string, string?> Settings(string scope) => new()
    {
        ["Classcloud:Platform:Enabled"] = "true",
        ["Classcloud:Controller:Scope"] = scope,
        ["Classcloud:Controller:ResyncInterval"] = "00:00:00.300",
        ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
        ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.300",
        ["Classcloud:Controller:BackoffBase"] = "00:00:00.200",
        ["Classcloud:Controller:BackoffMax"] = "00:00:00.800",
        ["Classcloud:Controller:CrashLoopRestarts"] = "3",
        ["Classcloud:Controller:CrashLoopWindow"] = "00:05:00",
    };

    /// <summary>A host (a process, as far as the controller can tell) on the shared data directory; dispose it to "stop" it.</summary>
    /// <param name="configuration">Extra settings for this host (e.g. a faster monitor).</param>
    /// <param name="services">Service replacements for this host (e.g. a platform whose event watch is silent).</param>
    public async Task<ClasscloudHost> StartHostAsync(IReadOnlyDictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null)
    {
        await root.InitializeAsync();
        var host = root.Derive(services, configuration);
        _ = host.Services; // start it: migrations, then the controller begins
        return host;
    }

    public string NewId(string what) => $"{Scope}-{what}";

    public static async Task AddWorkloadAsync(ClasscloudHost host, string id, IReadOnlyList<string> command, int replicas = 1)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var now = DateTime.UtcNow;
        db.Workloads.Add(new Workload
        {
            Id = id,
            Kind = "test",
            SpecJson = new WorkloadDefinition { Image = EngineFixture.BaseImage, Command = command, Replicas = replicas }.ToJson(),
            DesiredState = WorkloadStates.Running,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync();
    }

    public static async Task<Workload> RowAsync(ClasscloudHost host, string id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClasscloudDb>().Workloads.AsNoTracking().SingleAsync(w => w.Id == id);
    }

    public static async Task<List<Alert>> AlertsAsync(ClasscloudHost host, string id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClasscloudDb>().Alerts.AsNoTracking().Where(a => a.WorkloadId == id).ToListAsync();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> whole passes of the leading controller have run after this call (one more
    /// than asked: the pass running now may have read the state before the change). What a "nothing happened"
    /// assertion must have seen, instead of a sleep.
    /// </summary>
    public static Task PassesAsync(ControllerState state, int count) => PassesAsync(() => state.Passes, count, "controller passes");

    /// <summary>Waits until <paramref name="count"/> whole passes of the host's controller have run after this call.</summary>
    public static Task PassesAsync(ClasscloudHost host, int count) => PassesAsync(host.Services.GetRequiredService<ControllerState>(), count);

    /// <summary>Waits until <paramref name="count"/> whole passes counted by <paramref name="passes"/> have run after this call.</summary>
    public static Task PassesAsync(Func<long> passes, int count, string what)
    {
        var target = passes() + count + 1;
        return EventuallyAsync(() => Task.FromResult(passes() >= target ? (object)target : null), $"{count} {what}");
    }

    /// <summary>Polls until the condition holds (bounded); fails with the description otherwise.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, int seconds = 60) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(150);
        }
        throw new TimeoutException($"Not within {seconds} s: {what}");
    }

    /// <summary>The workload once all its replicas run.</summary>
    public Task<WorkloadStatus> RunningAsync(string id) => EventuallyAsync(async () =>
    {
        var status = await Engine.GetAsync(new WorkloadId(id), CancellationToken.None);
        return status is { Instances.Count: > 0 } && status.Running == status.Instances.Count ? status : null;
    }, $"{id} running");

    /// <summary>A container with none of Classcloud's labels, made with the docker CLI.</summary>
    public async Task<string> PlainContainerAsync()
    {
        var name = $"{Scope}-plain";
        await DockerAsync("run", "-d", "--name", name, "--network", "none", "--user", "1000:1000", EngineFixture.BaseImage, "sleep", "infinity");
        plainContainers.Add(name);
        return name;
    }

    public static async Task<string> DockerAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', args)}: {await stderr}");
        }
        return (await stdout).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncLifetime)root).DisposeAsync();
        var ours = await Engine.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = Scope }, CancellationToken.None);
        foreach (var workload in ours)
        {
            await Engine.RemoveAsync(workload.Id, CancellationToken.None);
        }
        foreach (var name in plainContainers)
        {
            await DockerAsync("rm", "-f", name);
        }
    }
}
