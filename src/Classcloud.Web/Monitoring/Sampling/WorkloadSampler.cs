using System.Collections.Concurrent;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>Lists this installation's workloads and samples each running replica's usage into the <see cref="UsageSnapshot"/>.</summary>
public sealed class WorkloadSampler(
    IContainerPlatform platform, UsageSnapshot snapshot, IOptions<MonitoringOptions> options, IOptions<ControllerOptions> controller, ILogger<WorkloadSampler> log)
{
    /// <summary>The workloads listed (for the alerts), or null when the engine could not list them.</summary>
    public async Task<IReadOnlyList<WorkloadStatus>?> SampleAsync(CancellationToken ct)
    {
        try
        {
            var workloads = await platform.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = controller.Value.Scope }, ct);
            snapshot.Replace(await SampleWorkloadsAsync(workloads, ct));
            return workloads;
        }
        catch (PlatformException ex)
        {
            log.LogWarning(ex, "Sampling workloads failed");
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
}
