using System.Collections.Concurrent;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// The controller role's monitor: every <see cref="MonitoringOptions.SampleInterval"/> it reads the
/// host, the engine and each running workload (one stats sample each, a few at a time) into the
/// in-memory <see cref="UsageSnapshot"/>, and counts the registry every
/// <see cref="MonitoringOptions.RegistryInterval"/>. The holder of the "monitor" lease (one host of
/// several) also writes the history and raises and resolves alerts (<see cref="MonitorPass"/>).
/// </summary>
public sealed class UsageSampler(
    IServiceScopeFactory scopes, IContainerPlatform platform, RegistryClient registry, UsageSnapshot snapshot, HostProbe probe,
    IOptions<MonitoringOptions> options, IOptions<ControllerOptions> controller, IOptions<ClasscloudOptions> classcloud,
    TimeProvider time, ILogger<UsageSampler> log) : BackgroundService
{
    /// <summary>Last OOM kill seen in the engine's events, per workload.</summary>
    readonly ConcurrentDictionary<string, DateTimeOffset> ooms = new(StringComparer.Ordinal);
    DateTimeOffset nextRegistryCount = DateTimeOffset.MinValue;
    RegistrySample? lastRegistry;
    long passes;

    /// <summary>Completed passes (tests wait on it).</summary>
    public long Passes => Interlocked.Read(ref passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = WatchOomsAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Monitor pass failed");
            }
            try
            {
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await watch;
    }

    public async Task SampleOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var cpu = probe.CpuPercent();
        var (memoryUsed, memoryTotal) = HostProbe.Memory();
        var dataDirectory = classcloud.Value.FullDataDirectory;
        var disk = HostProbe.Disk(dataDirectory) ?? new DiskUse(dataDirectory, 0, 0);

        EngineInfo? engine = null;
        string? engineError = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            engine = await platform.GetEngineInfoAsync(timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            engineError = ex.Message;
        }
        // The engine's data root is readable only when the engine runs on this machine.
        var engineDisk = engine?.Details.GetValueOrDefault("dataRoot") is { Length: > 0 } root
            && engine.Details.GetValueOrDefault("endpoint", "").StartsWith("unix:", StringComparison.Ordinal) && Directory.Exists(root)
            ? HostProbe.Disk(root) : null;

        IReadOnlyList<WorkloadStatus>? workloads = null;
        if (engine is not null)
        {
            try
            {
                workloads = await platform.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = controller.Value.Scope }, ct);
                snapshot.Replace(await SampleWorkloadsAsync(workloads, ct));
            }
            catch (PlatformException ex)
            {
                log.LogWarning(ex, "Sampling workloads failed");
            }
        }

        var (registryUp, registryError) = await PingRegistryAsync(ct);
        RegistrySample? counted = null;
        if (now >= nextRegistryCount)
        {
            nextRegistryCount = now + o.RegistryInterval;
            counted = await CountRegistryAsync(registryUp, now, ct);
            lastRegistry = counted;
        }

        var reading = new HostReading(now, cpu, memoryUsed, memoryTotal, disk, engineDisk, engine is not null, engine?.Version,
            engine?.RunningInstances, engineError, registryUp, registryError, lastRegistry);
        snapshot.SetHost(reading);

        await using (var scope = scopes.CreateAsyncScope())
        {
            var pass = scope.ServiceProvider.GetRequiredService<MonitorPass>();
            await pass.RunAsync(reading, counted, workloads, OomsSince(now - o.OomQuietPeriod), ct);
        }
        Interlocked.Increment(ref passes);
    }

    async Task<(bool Up, string? Error)> PingRegistryAsync(CancellationToken ct)
    {
        try
        {
            await registry.PingAsync(ct);
            return (true, null);
        }
        catch (PlatformException ex)
        {
            return (false, ex.Message);
        }
    }

    async Task<RegistrySample?> CountRegistryAsync(bool up, DateTimeOffset now, CancellationToken ct)
    {
        if (!up)
        {
            return new RegistrySample { SampledAt = now.UtcDateTime, Up = false };
        }
        try
        {
            var usage = await registry.UsageAsync(new RegistryUsageLimits(), ct);
            return new RegistrySample { SampledAt = now.UtcDateTime, Up = true, Repositories = usage.Repositories, Tags = usage.Tags, Bytes = usage.Bytes };
        }
        catch (PlatformException ex)
        {
            log.LogWarning(ex, "Counting the registry's usage failed");
            return null;
        }
    }

    /// <summary>One stats sample per running replica, <see cref="MonitoringOptions.StatsConcurrency"/> at a time, summed per workload.</summary>
    async Task<List<WorkloadUsage>> SampleWorkloadsAsync(IReadOnlyList<WorkloadStatus> workloads, CancellationToken ct)
    {
        var o = options.Value;
        var replicas = workloads.SelectMany(w => w.Instances.Where(i => i.State == InstanceState.Running).Select(i => (w.Id, i.Replica))).ToList();
        var samples = new ConcurrentBag<(string Workload, WorkloadStats Stats)>();
        await Parallel.ForEachAsync(replicas, new ParallelOptions { MaxDegreeOfParallelism = o.StatsConcurrency, CancellationToken = ct },
            async (replica, token) =>
            {
                if (await OneSampleAsync(replica.Id, replica.Replica, o.StatsTimeout, token) is { } stats)
                {
                    samples.Add((replica.Id.Value, stats));
                }
            });
        return samples.GroupBy(s => s.Workload, StringComparer.Ordinal).Select(g => new WorkloadUsage(
            g.Key, g.Sum(s => s.Stats.CpuPercent), g.Sum(s => s.Stats.MemoryBytes), g.Sum(s => s.Stats.MemoryLimitBytes),
            g.Sum(s => s.Stats.NetworkReceivedBytes), g.Sum(s => s.Stats.NetworkSentBytes), g.Max(s => s.Stats.Time))).ToList();
    }

    /// <summary>
    /// The engine's first sample has no previous CPU reading (0 %); the second, about a second later,
    /// has one. Take the second when it comes in time, else the first; then close the stream.
    /// </summary>
    async Task<WorkloadStats?> OneSampleAsync(WorkloadId id, int replica, TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        WorkloadStats? best = null;
        var seen = 0;
        try
        {
            await foreach (var stats in platform.StatsAsync(id, replica, timeout.Token))
            {
                best = stats;
                if (++seen >= 2 || stats.CpuPercent > 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Out of time: keep what came.
        }
        catch (PlatformException)
        {
            // Stopped or removed meanwhile.
        }
        return best;
    }

    Dictionary<string, DateTimeOffset> OomsSince(DateTimeOffset since)
    {
        foreach (var old in ooms.Where(p => p.Value < since).Select(p => p.Key).ToList())
        {
            ooms.TryRemove(old, out _);
        }
        return new Dictionary<string, DateTimeOffset>(ooms, StringComparer.Ordinal);
    }

    /// <summary>OOM kills can be missed between samples (the reconciler restarts quickly), so the event stream records them.</summary>
    async Task WatchOomsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in platform.WatchAsync(ct))
                {
                    if (e.Kind == PlatformEventKind.OomKilled && e.Workload is { } workload)
                    {
                        ooms[workload.Value] = time.GetUtcNow();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogDebug(ex, "Engine event watch for OOM kills ended");
            }
            try
            {
                await Task.Delay(options.Value.SampleInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
