using System.Threading.Channels;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// Asks the reconciler for a pass now instead of at the next resync (e.g. after the console changed
/// a desired state). One pending wake-up is enough: a pass looks at every workload anyway. A host
/// without the controller role registers it too; there a wake-up simply waits unread, and the
/// controller process picks the change up at its own resync.
/// </summary>
public sealed class ReconcilerWake
{
    readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    internal ChannelReader<bool> Reader => channel.Reader;
}
