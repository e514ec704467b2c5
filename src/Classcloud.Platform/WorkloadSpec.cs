namespace Classcloud.Platform;

/// <summary>
/// What should run: the desired state of one workload. Drivers add the security defaults
/// (non-root, no new privileges, all capabilities dropped, limits always set) whatever the spec says.
/// </summary>
public sealed record WorkloadSpec
{
    /// <summary>The workload's name; also its host name on its tenant network.</summary>
    public required WorkloadId Id { get; init; }

    /// <summary>Image reference, e.g. <c>127.0.0.1:5000/classcloud/terminal:1</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The process to run (program and arguments), replacing the image's default; null keeps the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Environment variables that are secrets (e.g. a desktop's VNC password). The process gets them like
    /// <see cref="Environment"/>, but a spec that drivers store or report (labels, annotations,
    /// <see cref="WorkloadStatus.Spec"/>) holds only a digest of each (<see cref="WorkloadSecrets"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory of the main process; null keeps the image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Numeric user, <c>uid</c> or <c>uid:gid</c>. Null uses the platform default (1000:1000);
    /// uid 0 is refused: workloads never run as root.
    /// </summary>
    public string? User { get; init; }

    /// <summary>CPU, memory and process limits; unset values take the platform defaults.</summary>
    public WorkloadResources Resources { get; init; } = new();

    /// <summary>What happens when the main process ends.</summary>
    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.Never;

    /// <summary>How many identical instances run (0 keeps the workload defined but with nothing running).</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The tenant network to join (see <see cref="IContainerPlatform.EnsureTenantNetworkAsync"/>); null means no network at all.</summary>
    public string? Tenant { get; init; }

    /// <summary>Named volumes to mount. A new volume starts with the image's content (and owner) at the mount path.</summary>
    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];

    /// <summary>
    /// Host directories mounted read-only (the Docker driver only): e.g. the workspace command and its socket.
    /// Null (the default) is left out of the stored spec, so workloads without any keep their spec hash.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HostDirectoryMount>? HostDirectories { get; init; }

    /// <summary>In-memory scratch directories (e.g. a grader's work directory under a read-only root).</summary>
    public IReadOnlyList<TmpfsMount> Tmpfs { get; init; } = [];

    /// <summary>Mounts the image's root filesystem read-only.</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Labels to add (<see cref="PlatformInfo.ReservedLabels"/> are set by the driver and refused here).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>A command run inside the workload to tell whether it is healthy; null: none.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>
    /// Linux capabilities to keep (e.g. <c>NET_BIND_SERVICE</c>). Every other one is dropped; only the
    /// capabilities a default container gets may be listed, never e.g. SYS_ADMIN.
    /// </summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Gives the main process a terminal and an open stdin, so <see cref="IContainerPlatform.AttachAsync"/> is interactive.</summary>
    public bool Tty { get; init; }

    /// <summary>Time between the polite stop signal and the kill.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Resource limits of one instance. Null takes the platform default; limits are always set.</summary>
/// <param name="Cpus">CPU cores (e.g. 0.5).</param>
/// <param name="MemoryBytes">Memory limit in bytes; the instance is OOM-killed above it.</param>
/// <param name="Pids">Maximum number of processes and threads.</param>
/// <param name="CpuRequest">CPU cores guaranteed (a weight under contention on Docker, a request on Kubernetes); null: the driver's default.</param>
/// <param name="MemoryRequestBytes">Memory guaranteed (a soft reservation on Docker, a request on Kubernetes); null: the driver's default.</param>
public sealed record WorkloadResources(double? Cpus = null, long? MemoryBytes = null, int? Pids = null, double? CpuRequest = null, long? MemoryRequestBytes = null);

/// <summary>When a finished main process is started again by the platform.</summary>
public enum RestartPolicy
{
    /// <summary>Never restarted (jobs, graders).</summary>
    Never,

    /// <summary>Restarted when it exits with a non-zero code.</summary>
    OnFailure,

    /// <summary>Restarted whenever it exits, unless stopped through the platform.</summary>
    Always,
}

/// <summary>A named volume mounted into a workload.</summary>
/// <param name="Volume">The volume's name (see <see cref="IContainerPlatform.EnsureVolumeAsync"/>).</param>
/// <param name="Path">Absolute path inside the workload.</param>
/// <param name="ReadOnly">Mount read-only.</param>
public sealed record VolumeMount(string Volume, string Path, bool ReadOnly = false);

/// <summary>A host directory mounted read-only into a workload.</summary>
/// <param name="HostPath">Absolute path on the engine's host.</param>
/// <param name="Path">Absolute path inside the workload.</param>
public sealed record HostDirectoryMount(string HostPath, string Path);

/// <summary>An in-memory directory.</summary>
/// <param name="Path">Absolute path inside the workload.</param>
/// <param name="SizeBytes">Size cap (counts against the memory limit).</param>
/// <param name="Exec">
/// Programs written there may run. Docker mounts a tmpfs noexec unless told otherwise, so a compiled submission
/// (C, C++) could not run its own binary in the grader's work directory; Kubernetes' memory emptyDir allows it anyway.
/// Left out of the stored spec when false, so the hash of every workload made before it stays the same.
/// </param>
public sealed record TmpfsMount(
    string Path, long SizeBytes = 64L * 1024 * 1024,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool Exec = false);

/// <summary>A health probe run inside the workload: exit code 0 means healthy.</summary>
/// <param name="Command">Program and arguments.</param>
/// <param name="Interval">Time between probes.</param>
/// <param name="Timeout">Time after which a probe counts as failed.</param>
/// <param name="Retries">Consecutive failures before the instance is unhealthy.</param>
/// <param name="StartPeriod">Failures during this time after start do not count.</param>
public sealed record HealthCheck(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, int Retries = 3, TimeSpan StartPeriod = default);
