using System.Threading.Channels;

namespace Classcloud.Web.Controller;

/// <summary>
/// Asks the reconciler for a pass now instead of at the next resync (e.g. after the console changed
/// a desired state). One pending wake-up is enough: a pass looks at every workload anyway. A host
/// without the controller role registers it too; there a wake-up simply waits unread, and the
/// controller process picks the change up at its own resync.
/// </summary>
public sealed class ReconcilerWake
{
    readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> held = new(StringComparer.Ordinal);

    public void Wake() => channel.Writer.TryWrite(true);

    /// <summary>
    /// Keeps this host's reconciler away from one workload while the console acts on it directly
    /// (a restart, a removal): the engine's brief "exited" between stop and start is not a crash.
    /// </summary>
    public IDisposable Hold(string workloadId)
    {
        held.AddOrUpdate(workloadId, 1, (_, n) => n + 1);
        return new Release(this, workloadId);
    }

    public bool IsHeld(string workloadId) => held.ContainsKey(workloadId);

    void Unhold(string workloadId)
    {
        if (held.AddOrUpdate(workloadId, 0, (_, n) => n - 1) <= 0)
        {
            held.TryRemove(new KeyValuePair<string, int>(workloadId, 0));
        }
    }

    sealed class Release(ReconcilerWake owner, string workloadId) : IDisposable
    {
        int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                owner.Unhold(workloadId);
            }
        }
    }

    internal ChannelReader<bool> Reader => channel.Reader;
}
