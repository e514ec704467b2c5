using System.Reflection;
using System.Runtime.ExceptionServices;
using Classcloud.Platform;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The real platform, except that one workload's replicas read as Kubernetes reports a pod that is scheduled but
/// not started yet (Pending, "PodInitializing") until <see cref="Release"/>: the start of a workspace on a cluster,
/// where scaling the Deployment up returns long before the pod runs. Counts the looks while it holds them back.
/// </summary>
public class PendingPodPlatform : DispatchProxy
{
    IContainerPlatform inner = null!;
    string? held;
    int looks;

    /// <summary>Looks at the held workload (<see cref="IContainerPlatform.GetAsync"/>) answered "pending" so far.</summary>
    public int Looks => Volatile.Read(ref looks);

    public static PendingPodPlatform Wrap(IContainerPlatform inner)
    {
        var proxy = Create<IContainerPlatform, PendingPodPlatform>();
        var self = (PendingPodPlatform)(object)proxy;
        self.inner = inner;
        return self;
    }

    public IContainerPlatform Platform => (IContainerPlatform)(object)this;

    public void Hold(WorkloadId id) => Volatile.Write(ref held, id.Value);

    public void Release() => Volatile.Write(ref held, null);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IContainerPlatform.GetAsync) && args![0] is WorkloadId id && id.Value == Volatile.Read(ref held))
        {
            return PendingAsync(id, (CancellationToken)args[1]!);
        }
        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    async Task<WorkloadStatus?> PendingAsync(WorkloadId id, CancellationToken ct)
    {
        var status = await inner.GetAsync(id, ct);
        if (status is null || Volatile.Read(ref held) != id.Value)
        {
            return status;
        }
        Interlocked.Increment(ref looks);
        return status with
        {
            Instances = [.. status.Instances.Select(i => i with { State = InstanceState.Pending, Address = null, StartedAt = null, Reason = "PodInitializing" })],
        };
    }
}
