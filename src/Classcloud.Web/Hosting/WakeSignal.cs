namespace Classcloud.Web.Hosting;

/// <summary>
/// A background loop's doorbell: <see cref="Wake"/> asks for a pass soon, and any number of wakes before
/// the pass count as one; without a wake the loop still runs every interval.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    readonly SemaphoreSlim bell = new(0, 1);

    public void Dispose() => bell.Dispose();

    public void Wake()
    {
        if (bell.CurrentCount == 0)
        {
            try
            {
                bell.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already.
            }
            catch (ObjectDisposedException)
            {
                // The loop has stopped (the host is shutting down): nobody to wake.
            }
        }
    }

    /// <summary>Waits for a wake or <paramref name="interval"/>; false once <paramref name="ct"/> stops the loop.</summary>
    public async Task<bool> WaitAsync(TimeSpan interval, CancellationToken ct)
    {
        try
        {
            await bell.WaitAsync(interval, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
