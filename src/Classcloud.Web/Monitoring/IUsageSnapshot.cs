namespace Classcloud.Web.Monitoring;

/// <summary>The latest resource use of one workload, sampled in the background (not per request).</summary>
public sealed record WorkloadUsage(
    string WorkloadId, double CpuPercent, long MemoryBytes, long MemoryLimitBytes,
    long NetworkRxBytes, long NetworkTxBytes, DateTimeOffset SampledAt);

/// <summary>What the usage sampler saw last; empty until the first sample (and without the platform).</summary>
public interface IUsageSnapshot
{
    WorkloadUsage? Get(string workloadId);

    IReadOnlyCollection<WorkloadUsage> All { get; }
}
