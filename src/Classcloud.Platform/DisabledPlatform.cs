namespace Classcloud.Platform;

/// <summary>
/// The platform of a host that runs no workloads (the platform is not enabled): registered in its place so
/// callers take <see cref="IContainerPlatform"/> in their constructors and ask <see cref="PlatformFeatures.Enabled"/>;
/// every operation raises <see cref="PlatformUnavailableException"/> with <see cref="Reason"/>.
/// </summary>
public sealed class DisabledPlatform(string reason) : IContainerPlatform
{
    /// <summary>Why there is no platform, as shown to whoever asked for one.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public PlatformFeatures Features => PlatformFeatures.None;

    PlatformUnavailableException Off() => new(Reason);

    /// <inheritdoc />
    public Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<WorkloadStatus> EnsureAsync(WorkloadSpec spec, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<WorkloadStatus?> GetAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkloadStatus>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task StartAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task StopAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task PauseAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task UnpauseAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task RestartAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<bool> RemoveAsync(WorkloadId id, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<WorkloadStatus> ScaleAsync(WorkloadId id, int replicas, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public IAsyncEnumerable<PlatformEvent> WatchAsync(CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<ExecResult> RunAsync(WorkloadId id, ExecRequest request, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public IAsyncEnumerable<WorkloadStats> StatsAsync(WorkloadId id, int replica, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<string> CommitAsync(WorkloadId id, int replica, string reference, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<VolumeInfo> EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<bool> RemoveVolumeAsync(string name, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<bool> RemoveTenantNetworkAsync(string tenant, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task MoveTenantAsync(WorkloadId id, string tenant, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<string> ImportImageAsync(Stream rootfsTar, string reference, IProgress<string>? progress, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<string> BuildImageAsync(Stream contextTar, ImageBuildRequest request, IProgress<string>? progress, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task TagImageAsync(string source, string target, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task PushImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task PullImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct) => throw Off();

    /// <inheritdoc />
    public Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct) => throw Off();
}
