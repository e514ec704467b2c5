using Classcloud.Platform;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// What starts the leader's next reconcile pass: an engine event or the console (one <see cref="ReconcilerWake"/>,
/// at most one pending), else the periodic resync.
/// </summary>
public sealed class ReconcileTriggers(IContainerPlatform platform, ReconcilerWake wake, ILogger<ReconcileTriggers> log)
{
    /// <summary>Waits for a wake-up or <paramref name="resync"/>, whichever comes first.</summary>
    public async Task NextAsync(TimeSpan resync, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(resync);
        try
        {
            await wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Resync time.
        }
    }

    /// <summary>Engine events wake the loop; the watch reconnects by itself and a reconnect also wakes it.</summary>
    public async Task WatchAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var _ in platform.WatchAsync(ct))
            {
                wake.Wake();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The turn ended.
        }
        catch (Exception ex)
        {
            // The periodic resync still runs; the next turn opens a new watch.
            log.LogWarning(ex, "Engine event watch ended");
        }
    }
}
