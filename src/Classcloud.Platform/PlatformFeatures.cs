namespace Classcloud.Platform;

/// <summary>
/// What a driver can do beyond the common ground, so callers choose a path up front instead of
/// catching <see cref="PlatformNotSupportedException"/> half-way through a job.
/// </summary>
/// <param name="Pause">Freeze and thaw a running workload (<see cref="IContainerPlatform.PauseAsync"/>): a suspended workspace.</param>
/// <param name="Commit">Make an image of a container (<see cref="IContainerPlatform.CommitAsync"/>) and build, import or push images through the engine.</param>
/// <param name="TenantMove">Move a created workload to another tenant network without recreating it (<see cref="IContainerPlatform.MoveTenantAsync"/>): the workspace warm pool.</param>
/// <param name="Enabled">False only for <see cref="DisabledPlatform"/>: this host runs no workloads.</param>
public sealed record PlatformFeatures(bool Pause, bool Commit, bool TenantMove, bool Enabled = true)
{
    /// <summary>No platform on this host (<see cref="DisabledPlatform"/>).</summary>
    public static PlatformFeatures None { get; } = new(Pause: false, Commit: false, TenantMove: false, Enabled: false);

    /// <summary>The Docker Engine: everything.</summary>
    public static PlatformFeatures All { get; } = new(Pause: true, Commit: true, TenantMove: true);

    /// <summary>An orchestrator that only schedules containers (Kubernetes).</summary>
    public static PlatformFeatures SchedulingOnly { get; } = new(Pause: false, Commit: false, TenantMove: false);
}
