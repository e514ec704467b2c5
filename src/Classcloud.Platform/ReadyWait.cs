namespace Classcloud.Platform;

/// <summary>Waiting until a workload the platform was asked to run actually runs.</summary>
public static class ReadyWait
{
    /// <summary>How often the platform is asked again while a replica is not running yet.</summary>
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Returns once every replica of <paramref name="id"/> runs (or has run and gone down again: a crash, which the
    /// caller's restart policy and watchers handle). Docker has started a container when <c>EnsureAsync</c> returns,
    /// so this is one look; a Kubernetes Deployment scaled up has only asked for a pod, which is scheduled, pulled and
    /// initialised (a new claim filled from the image) after that — an exec before then fails with "not running".
    /// Throws <see cref="PlatformException"/> when the platform reports an error or after <paramref name="timeout"/>.
    /// </summary>
    public static async Task UntilRunningAsync(this IContainerPlatform platform, WorkloadId id, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var status = await platform.GetAsync(id, ct);
            if (status is { Instances.Count: > 0 } && status.Running == status.Instances.Count)
            {
                return;
            }
            var waiting = status?.Instances.FirstOrDefault(i => i.State is not (InstanceState.Running or InstanceState.Paused));
            if (waiting?.Error is { } error)
            {
                throw new PlatformException($"{id.Value} did not start: {error}.");
            }
            if (waiting is not null && waiting.State != InstanceState.Pending)
            {
                return;
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new PlatformException($"{id.Value} did not start within {timeout.TotalSeconds:0} s: {waiting?.Reason ?? "the platform reports no replica"}.");
            }
            await Task.Delay(Poll, time, ct);
        }
    }
}
