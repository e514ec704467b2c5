using System.Collections.Concurrent;
using Classcloud.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>The OOM kills the engine reported lately, per workload, for the crash alerts.</summary>
public sealed class OomWatch(IContainerPlatform platform, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<OomWatch> log)
{
    /// <summary>Last OOM kill seen in the engine's events, per workload.</summary>
    readonly ConcurrentDictionary<string, DateTimeOffset> ooms = new(StringComparer.Ordinal);

    /// <summary>The kills within <see cref="MonitoringOptions.OomQuietPeriod"/> before <paramref name="now"/>; older ones are forgotten.</summary>
    public Dictionary<string, DateTimeOffset> Recent(DateTimeOffset now) => OomsSince(now - options.Value.OomQuietPeriod);

    Dictionary<string, DateTimeOffset> OomsSince(DateTimeOffset since)
    {
        foreach (var old in ooms.Where(p => p.Value < since).Select(p => p.Key).ToList())
        {
            ooms.TryRemove(old, out _);
        }
        return new Dictionary<string, DateTimeOffset>(ooms, StringComparer.Ordinal);
    }

    /// <summary>OOM kills can be missed between samples (the reconciler restarts quickly), so the event stream records them.</summary>
    public async Task WatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in platform.WatchAsync(ct))
                {
                    if (e.Kind == PlatformEventKind.OomKilled && e.Workload is { } workload)
                    {
                        ooms[workload.Value] = time.GetUtcNow();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogDebug(ex, "Engine event watch for OOM kills ended");
            }
            try
            {
                await Task.Delay(options.Value.SampleInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
