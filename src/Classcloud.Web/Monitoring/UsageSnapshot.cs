using System.Collections.Concurrent;

namespace Classcloud.Web.Monitoring;

/// <summary>The sampler's latest per-workload figures and host reading, in memory (one per process).</summary>
public sealed class UsageSnapshot : IUsageSnapshot
{
    readonly ConcurrentDictionary<string, WorkloadUsage> workloads = new(StringComparer.Ordinal);
    volatile HostReading? host;

    public WorkloadUsage? Get(string workloadId) => workloads.GetValueOrDefault(workloadId);

    public IReadOnlyCollection<WorkloadUsage> All => workloads.Values.ToList();

    /// <summary>The last host reading; null before the first pass.</summary>
    public HostReading? Host => host;

    /// <summary>Replaces the per-workload figures: workloads no longer running drop out.</summary>
    internal void Replace(IReadOnlyCollection<WorkloadUsage> fresh)
    {
        foreach (var usage in fresh)
        {
            workloads[usage.WorkloadId] = usage;
        }
        var keep = fresh.Select(u => u.WorkloadId).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in workloads.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            workloads.TryRemove(gone, out _);
        }
    }

    internal void SetHost(HostReading reading) => host = reading;
}
