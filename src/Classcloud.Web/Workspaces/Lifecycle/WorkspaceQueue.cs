using System.Threading.Channels;
using Classcloud.Web.Orchestration;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

public enum WorkspaceJobKind
{
    Create,
    Start,
    Stop,
    Save,
    Delete,
}

/// <summary>One state change to carry out in the background.</summary>
public sealed record WorkspaceJob(long WorkspaceId, WorkspaceJobKind Kind);

/// <summary>
/// The bounded in-process queue of workspace jobs. Requests put a job here after claiming the
/// state; <see cref="WorkspaceWorker"/> runs them. A host that stops with jobs queued finds the
/// workspaces in their transitional state when it starts again and recovers them from there.
/// </summary>
public sealed class WorkspaceQueue(IOptions<WorkspacesOptions> options, ProcessIdentity identity)
{
    /// <summary>
    /// The holder every transition into a job writes (<see cref="Workspace.JobHolder"/>) in the same update,
    /// so another process recovers the job only once this one is gone.
    /// </summary>
    public string Holder => identity.Id;

    readonly Channel<WorkspaceJob> jobs = Channel.CreateBounded<WorkspaceJob>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    int pending;

    public bool HasRoom => Volatile.Read(ref pending) < options.Value.QueueCapacity;

    public int Pending => Volatile.Read(ref pending);

    public bool TryEnqueue(WorkspaceJob job)
    {
        if (!jobs.Writer.TryWrite(job))
        {
            return false;
        }
        Interlocked.Increment(ref pending);
        return true;
    }

    internal async ValueTask<WorkspaceJob> ReadAsync(CancellationToken ct)
    {
        var job = await jobs.Reader.ReadAsync(ct);
        Interlocked.Decrement(ref pending);
        return job;
    }
}
