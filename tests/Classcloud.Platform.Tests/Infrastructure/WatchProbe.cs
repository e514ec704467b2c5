using System.Threading.Channels;

namespace Classcloud.Platform.Tests.Infrastructure;

/// <summary>
/// A platform's event watch is connected once it reports something of ours: probe workloads are started until an
/// event of one arrives, instead of sleeping and hoping the watch connected meanwhile.
/// </summary>
public static class WatchProbe
{
    public static async Task IsLiveAsync(IContainerPlatform platform, Func<string, WorkloadSpec> spec, ChannelReader<PlatformEvent> events,
        CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var probe = spec($"probe{attempt}");
            await platform.EnsureAsync(probe, ct);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                while ((await events.ReadAsync(wait.Token)).Workload != probe.Id)
                {
                }
                return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Not live yet: another probe.
            }
        }
        Assert.Fail("The watch reported none of 5 started probes");
    }
}
