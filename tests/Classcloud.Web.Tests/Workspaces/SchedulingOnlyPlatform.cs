using Classcloud.Platform;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The real Docker driver made to behave like Kubernetes where it matters for saving: it reports
/// <see cref="PlatformFeatures.SchedulingOnly"/>, refuses pause, tenant moves and every image operation (commit, build, tag,
/// push, pull, inspect, remove) as the Kubernetes driver does, and pulls a missing image when a
/// workload is created, as a node does when a pod starts. Calls to refused operations are counted.
/// </summary>
public sealed class SchedulingOnlyPlatform(IContainerPlatform inner) : IContainerPlatform, IDisposable
{
    readonly SemaphoreSlim creating = new(1, 1);
    int refused;

    /// <summary>How many refused operations were asked for.</summary>
    public int Refused => Volatile.Read(ref refused);

    public void Dispose() => creating.Dispose();

    public PlatformFeatures Features => PlatformFeatures.SchedulingOnly;

    public Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct) => inner.GetEngineInfoAsync(ct);

    public Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, CancellationToken ct) => PulledAsync(spec, inner.CreateAsync, ct);

    public Task<WorkloadStatus> EnsureAsync(WorkloadSpec spec, CancellationToken ct) => PulledAsync(spec, inner.EnsureAsync, ct);

    /// <summary>
    /// Pull (if missing) and create as one step, one at a time: the workspace job and the reconciler create
    /// the same workload, and a pull between their existence checks would let both create the container
    /// (a race the real, fast create never opens; the Kubernetes driver's create is idempotent anyway).
    /// </summary>
    async Task<WorkloadStatus> PulledAsync(WorkloadSpec spec, Func<WorkloadSpec, CancellationToken, Task<WorkloadStatus>> create, CancellationToken ct)
    {
        await creating.WaitAsync(ct);
        try
        {
            if (await inner.InspectImageAsync(spec.Image, ct) is null)
            {
                await inner.PullImageAsync(spec.Image, null, null, ct);
            }
            return await create(spec, ct);
        }
        finally
        {
            creating.Release();
        }
    }

    public Task<WorkloadStatus?> GetAsync(WorkloadId id, CancellationToken ct) => inner.GetAsync(id, ct);
    public Task<IReadOnlyList<WorkloadStatus>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct) => inner.ListAsync(labels, ct);
    public Task StartAsync(WorkloadId id, CancellationToken ct) => inner.StartAsync(id, ct);
    public Task StopAsync(WorkloadId id, CancellationToken ct) => inner.StopAsync(id, ct);
    public Task PauseAsync(WorkloadId id, CancellationToken ct) => throw Refuse("pause");
    public Task UnpauseAsync(WorkloadId id, CancellationToken ct) => throw Refuse("unpause");
    public Task MoveTenantAsync(WorkloadId id, string tenant, CancellationToken ct) => throw Refuse("move a workload to another tenant");
    public Task RestartAsync(WorkloadId id, CancellationToken ct) => inner.RestartAsync(id, ct);
    public Task<bool> RemoveAsync(WorkloadId id, CancellationToken ct) => inner.RemoveAsync(id, ct);
    public Task<WorkloadStatus> ScaleAsync(WorkloadId id, int replicas, CancellationToken ct) => inner.ScaleAsync(id, replicas, ct);
    public IAsyncEnumerable<PlatformEvent> WatchAsync(CancellationToken ct) => inner.WatchAsync(ct);
    public Task<IStreamSession> ExecAsync(WorkloadId id, ExecRequest request, CancellationToken ct) => inner.ExecAsync(id, request, ct);
    public Task<ExecResult> RunAsync(WorkloadId id, ExecRequest request, CancellationToken ct) => inner.RunAsync(id, request, ct);
    public Task<IStreamSession> AttachAsync(WorkloadId id, int replica, CancellationToken ct) => inner.AttachAsync(id, replica, ct);
    public IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, CancellationToken ct) => inner.LogsAsync(id, options, ct);
    public IAsyncEnumerable<WorkloadStats> StatsAsync(WorkloadId id, int replica, CancellationToken ct) => inner.StatsAsync(id, replica, ct);
    public Task<VolumeInfo> EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct) => inner.EnsureVolumeAsync(name, labels, ct);
    public Task<bool> RemoveVolumeAsync(string name, CancellationToken ct) => inner.RemoveVolumeAsync(name, ct);
    public Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct) => inner.ListVolumesAsync(labels, ct);
    public Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct) => inner.EnsureTenantNetworkAsync(tenant, allowEgress, ct);
    public Task<bool> RemoveTenantNetworkAsync(string tenant, CancellationToken ct) => inner.RemoveTenantNetworkAsync(tenant, ct);
    public Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct) => inner.ListTenantNetworksAsync(ct);

    public Task<string> CommitAsync(WorkloadId id, int replica, string reference, CancellationToken ct) => throw Refuse("commit");
    public Task<string> ImportImageAsync(Stream rootfsTar, string reference, IProgress<string>? progress, CancellationToken ct) => throw Refuse("import");
    public Task<string> BuildImageAsync(Stream contextTar, ImageBuildRequest request, IProgress<string>? progress, CancellationToken ct) => throw Refuse("build");
    public Task TagImageAsync(string source, string target, CancellationToken ct) => throw Refuse("tag");
    public Task PushImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) => throw Refuse("push");
    public Task PullImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) => throw Refuse("pull");
    public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct) => throw Refuse("inspect");
    public Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct) => throw Refuse("remove an image");

    PlatformNotSupportedException Refuse(string what)
    {
        Interlocked.Increment(ref refused);
        return new PlatformNotSupportedException($"A scheduling-only platform cannot {what}.");
    }
}
