namespace Classcloud.Platform;

/// <summary>What actually exists for one workload.</summary>
/// <param name="Id">The workload.</param>
/// <param name="Spec">The spec its instances were created from (null when the engine holds no readable spec).</param>
/// <param name="Instances">One entry per replica that exists, ordered by replica ordinal.</param>
public sealed record WorkloadStatus(WorkloadId Id, WorkloadSpec? Spec, IReadOnlyList<InstanceStatus> Instances)
{
    /// <summary>How many instances are running (paused ones included).</summary>
    public int Running => Instances.Count(i => i.State is InstanceState.Running or InstanceState.Paused);
}

/// <summary>One replica of a workload.</summary>
/// <param name="Replica">Ordinal, 0 for the first.</param>
/// <param name="InstanceId">The engine's id for it (a container id, a pod name).</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Health">Result of the health check, if the spec has one.</param>
/// <param name="ExitCode">Exit code of the last run, when it has ended.</param>
/// <param name="OomKilled">Whether the last run was killed for exceeding its memory limit.</param>
/// <param name="RestartCount">Restarts done by the platform's restart policy.</param>
/// <param name="StartedAt">When the current (or last) run started.</param>
/// <param name="FinishedAt">When the last run ended.</param>
/// <param name="Address">IP address on its tenant network, while running.</param>
/// <param name="Error">The engine's error for the last start, if it failed.</param>
/// <remarks>
/// <see cref="Reason"/> says why an instance is <see cref="InstanceState.Pending"/> (or waiting to
/// restart), in the platform's own words: e.g. the scheduler's "0/3 nodes are available: 3 Insufficient memory".
/// </remarks>
public sealed record InstanceStatus(
    int Replica,
    string InstanceId,
    InstanceState State,
    HealthState Health,
    int? ExitCode,
    bool OomKilled,
    int RestartCount,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Address,
    string? Error)
{
    /// <summary>Why the instance waits (no capacity yet, image being pulled, back-off), when the platform says; null otherwise.</summary>
    public string? Reason { get; init; }
}

/// <summary>Lifecycle state of an instance.</summary>
public enum InstanceState
{
    /// <summary>Created, never started.</summary>
    Created,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Frozen by the engine (no CPU, memory kept).</summary>
    Paused,

    /// <summary>Being restarted by its restart policy.</summary>
    Restarting,

    /// <summary>The main process has ended.</summary>
    Exited,

    /// <summary>Anything else the engine reports (e.g. being removed, dead).</summary>
    Unknown,

    /// <summary>
    /// Accepted and meant to run, but waiting: for capacity (a cluster adding a node), for its image,
    /// or for its volume. Not an error; <see cref="InstanceStatus.Reason"/> says what it waits for.
    /// </summary>
    Pending,
}

/// <summary>Health check state.</summary>
public enum HealthState
{
    /// <summary>The spec has no health check.</summary>
    None,

    /// <summary>Not yet decided.</summary>
    Starting,

    /// <summary>The probe passes.</summary>
    Healthy,

    /// <summary>The probe failed its retries.</summary>
    Unhealthy,
}
