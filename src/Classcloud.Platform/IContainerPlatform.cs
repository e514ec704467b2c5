namespace Classcloud.Platform;

/// <summary>
/// The container platform as Classcloud needs it: workloads (with replicas), their processes,
/// logs and stats, volumes, tenant networks and images. Drivers (Docker Engine, Kubernetes) map
/// it to their own objects, label everything with <see cref="PlatformInfo.LabelPrefix"/> and
/// enforce the security defaults. Missing objects raise <see cref="PlatformNotFoundException"/>,
/// clashes <see cref="PlatformConflictException"/>, an unreachable engine
/// <see cref="PlatformUnavailableException"/>.
/// </summary>
public interface IContainerPlatform
{
    /// <summary>What this driver can do beyond the common ground (pause, commit and image building).</summary>
    PlatformFeatures Features { get; }

    /// <summary>Facts about the engine; also the readiness probe (throws when it cannot be reached).</summary>
    Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct);

    /// <summary>
    /// Makes the workload exist as specified without starting anything new: creates missing
    /// replicas, replaces those made from a different spec, removes replicas beyond the count.
    /// </summary>
    Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, CancellationToken ct);

    /// <summary>Like <see cref="CreateAsync"/>, then starts every replica that is not running.</summary>
    Task<WorkloadStatus> EnsureAsync(WorkloadSpec spec, CancellationToken ct);

    /// <summary>The workload's current state, or null when nothing of it exists.</summary>
    Task<WorkloadStatus?> GetAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Every workload whose labels include all of <paramref name="labels"/> (empty: all of Classcloud's).</summary>
    Task<IReadOnlyList<WorkloadStatus>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct);

    /// <summary>Starts every replica; running ones are left alone.</summary>
    Task StartAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Stops every replica (stop signal, then kill after the spec's grace period).</summary>
    Task StopAsync(WorkloadId id, CancellationToken ct);

    /// <summary>
    /// Freezes every running replica: no CPU, memory kept, connections held (a suspended workspace).
    /// Paused and stopped replicas are left alone. A driver that cannot freeze raises <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    Task PauseAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Thaws every paused replica; the others are left alone.</summary>
    Task UnpauseAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Stops and starts every replica.</summary>
    Task RestartAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Removes every replica (running ones are killed). Volumes stay. Returns false when nothing existed.</summary>
    Task<bool> RemoveAsync(WorkloadId id, CancellationToken ct);

    /// <summary>Sets the number of replicas; new ones start if the workload is running.</summary>
    Task<WorkloadStatus> ScaleAsync(WorkloadId id, int replicas, CancellationToken ct);

    /// <summary>Events of Classcloud's workloads until cancelled; survives engine restarts (see <see cref="PlatformEventKind.Reconnected"/>).</summary>
    IAsyncEnumerable<PlatformEvent> WatchAsync(CancellationToken ct);

    /// <summary>Starts a process inside a running replica and connects to it (a terminal when <see cref="ExecRequest.Tty"/>).</summary>
    Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct);

    /// <summary>Runs a process to its end and collects its output and exit code.</summary>
    Task<ExecResult> RunAsync(WorkloadId id, ExecRequest request, CancellationToken ct);

    /// <summary>Connects to the main process of a replica (its stdin and output from now on).</summary>
    Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct);

    /// <summary>Log lines of a replica's main process, stdout and stderr kept apart.</summary>
    IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, CancellationToken ct);

    /// <summary>Resource samples of a running replica, about one a second, until cancelled or stopped.</summary>
    IAsyncEnumerable<WorkloadStats> StatsAsync(WorkloadId id, int replica, CancellationToken ct);

    /// <summary>Snapshots a replica's whole filesystem (volumes excluded) as an image tagged <paramref name="reference"/>; returns its id.</summary>
    Task<string> CommitAsync(WorkloadId id, int replica, string reference, CancellationToken ct);

    /// <summary>Creates a volume if missing (idempotent).</summary>
    Task<VolumeInfo> EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct);

    /// <summary>Removes a volume; <see cref="PlatformConflictException"/> while a workload uses it. Returns false when it did not exist.</summary>
    Task<bool> RemoveVolumeAsync(string name, CancellationToken ct);

    /// <summary>Classcloud's volumes whose labels include all of <paramref name="labels"/>.</summary>
    Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct);

    /// <summary>
    /// Bytes each of Classcloud's volumes takes on disk, by volume name (the administrators' storage view).
    /// A volume missing from the answer has no known size: a driver that cannot measure (Kubernetes, whose
    /// claims live on the nodes' storage) keeps this default and answers none.
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> VolumeSizesAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>
    /// Creates the tenant's private network if missing. Workloads of one tenant reach each other by
    /// workload id; workloads of different tenants cannot reach each other. Internal networks (the
    /// default) have no route out at all.
    /// </summary>
    Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct);

    /// <summary>Removes a tenant network; <see cref="PlatformConflictException"/> while workloads use it. Returns false when it did not exist.</summary>
    Task<bool> RemoveTenantNetworkAsync(string tenant, CancellationToken ct);

    /// <summary>
    /// Moves every replica of a created workload to <paramref name="tenant"/>'s network (made if missing, without
    /// egress) and off every other tenant network, without recreating it: a warm-pool workspace handed to its
    /// owner keeps running. Afterwards the workload counts as specified for <paramref name="tenant"/>: creating
    /// or ensuring it with a spec naming that tenant keeps it, and <see cref="WorkloadStatus.Spec"/> names that tenant.
    /// Idempotent. A driver without <see cref="PlatformFeatures.TenantMove"/> raises <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    Task MoveTenantAsync(WorkloadId id, string tenant, CancellationToken ct);

    /// <summary>Every tenant network Classcloud made.</summary>
    Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct);

    /// <summary>Makes an image from a root filesystem tar stream; returns its id.</summary>
    Task<string> ImportImageAsync(Stream rootfsTar, string reference, IProgress<string>? progress, CancellationToken ct);

    /// <summary>Builds an image from a context tar stream with a Dockerfile; build output goes to <paramref name="progress"/>; returns its id.</summary>
    Task<string> BuildImageAsync(Stream contextTar, ImageBuildRequest request, IProgress<string>? progress, CancellationToken ct);

    /// <summary>Gives an image another reference (e.g. the registry's name before a push).</summary>
    Task TagImageAsync(string source, string target, CancellationToken ct);

    /// <summary>Pushes an image to the registry named in its reference.</summary>
    Task PushImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct);

    /// <summary>Pulls an image from the registry named in its reference.</summary>
    Task PullImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct);

    /// <summary>The image, or null when the engine does not have it.</summary>
    Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct);

    /// <summary>Removes a local image reference (and the image when it was the last). Returns false when it did not exist.</summary>
    Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct);
}
