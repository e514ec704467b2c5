using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Monitoring;

namespace Classcloud.Web.Workloads;

/// <summary>Filters of the console's workload list; state is the observed state (or "crash-loop").</summary>
public sealed record WorkloadQuery(string? Q, string? Kind, string? State, string? Owner, string? Tenant, int? Page, int? PageSize);

public sealed record ReplicasRequest(int? Replicas);

/// <summary>The usage sampler's latest figures for a workload.</summary>
public sealed record UsageDto(double CpuPercent, long MemoryBytes, long MemoryLimitBytes, long NetworkRxBytes, long NetworkTxBytes, DateTimeOffset SampledAt)
{
    public static UsageDto? From(WorkloadUsage? u) =>
        u is null ? null : new(u.CpuPercent, u.MemoryBytes, u.MemoryLimitBytes, u.NetworkRxBytes, u.NetworkTxBytes, u.SampledAt);
}

/// <summary>One line of the console's list. Running, StartedAt and UptimeSeconds are null when the engine could not be asked.</summary>
public sealed record WorkloadRowDto(
    string Id, string Kind, long? OwnerId, string? OwnerEmail, string? Tenant, string Image, int Replicas,
    string DesiredState, string? ObservedState, bool CrashLoop, int RestartCount,
    int? Running, DateTimeOffset? StartedAt, double? UptimeSeconds, UsageDto? Usage);

/// <summary>One replica as the engine reports it.</summary>
public sealed record InstanceDto(
    int Replica, string InstanceId, string State, string Health, int? ExitCode, bool OomKilled, int RestartCount,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? UptimeSeconds, string? Address, string? Error)
{
    public static InstanceDto From(InstanceStatus i, DateTimeOffset now) => new(
        i.Replica, i.InstanceId, StateName(i.State), i.Health.ToString().ToLowerInvariant(), i.ExitCode, i.OomKilled, i.RestartCount,
        i.StartedAt, i.FinishedAt, i.State is InstanceState.Running or InstanceState.Paused ? Uptime(i.StartedAt, now) : null, i.Address, i.Error);

    public static string StateName(InstanceState s) => s.ToString().ToLowerInvariant();

    public static double? Uptime(DateTimeOffset? startedAt, DateTimeOffset now) =>
        startedAt is { } s && s.Year > 1 ? Math.Max(0, Math.Round((now - s).TotalSeconds)) : null;
}

/// <summary>
/// Everything the console knows about one workload: the row (desired state, the reconciler's
/// observations), the spec summary, the engine's instances (null with EngineError when it could
/// not be asked) and the sampler's usage (null when there is no sample).
/// </summary>
public sealed record WorkloadDetailDto(
    string Id, string Kind, long? OwnerId, string? OwnerEmail, string? Tenant,
    string DesiredState, string? ObservedState, string Image, IReadOnlyList<string>? Command, WorkloadResources Resources, int Replicas,
    int RestartCount, bool CrashLoop, string? LastError, DateTime? NextRetryAt, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<InstanceDto>? Instances, string? EngineError, UsageDto? Usage);

/// <summary>A log line on the console's live log stream.</summary>
public sealed record LogLineDto(int Replica, string Stream, DateTimeOffset Time, string Text);

/// <summary>A resource sample on the console's live stats stream.</summary>
public sealed record StatsSampleDto(int Replica, DateTimeOffset Time, double CpuPercent, long MemoryBytes, long MemoryLimitBytes, int Pids, long NetworkRxBytes, long NetworkTxBytes);

/// <summary>The parts of a row's SpecJson the console shows; a spec that does not parse shows as empty.</summary>
internal sealed record SpecSummary(string Image, IReadOnlyList<string>? Command, WorkloadResources Resources, int Replicas)
{
    public static SpecSummary Of(Workload row)
    {
        try
        {
            var d = WorkloadDefinition.FromJson(row.SpecJson);
            return new(d.Image, d.Command, d.Resources, d.Replicas);
        }
        catch (System.Text.Json.JsonException)
        {
            return new("", null, new WorkloadResources(), 0);
        }
    }
}
