using System.Reflection;
using Classcloud.Platform;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The real platform, except that one workload's replicas read as Kubernetes reports a pod that is scheduled but
/// not started yet (Pending, "PodInitializing") until <see cref="Release"/>: the start of a workspace on a cluster,
/// where scaling the Deployment up returns long before the pod runs. Counts the looks while it holds them back.
/// </summary>
public class PendingPodPlatform : PlatformProxy
{
    string? held;
    int looks;

    /// <summary>Looks at the held workload (<see cref="IContainerPlatform.GetAsync"/>) answered "pending" so far.</summary>
    public int Looks => Volatile.Read(ref looks);

    public static PendingPodPlatform Wrap(IContainerPlatform inner) => Wrap<PendingPodPlatform>(inner);

    public void Hold(WorkloadId id) => Volatile.Write(ref held, id.Value);

    public void Release() => Volatile.Write(ref held, null);

    protected override bool Intercept(MethodInfo method, object?[] args, out object? answer)
    {
        if (method.Name == nameof(IContainerPlatform.EnsureAsync) && args[0] is WorkloadSpec spec && spec.Id.Value == Volatile.Read(ref held))
        {
            // A Deployment scaled up: the driver returns with the pod still initialising.
            answer = EnsuredAsync(spec, (CancellationToken)args[1]!);
            return true;
        }
        var mine = method.Name == nameof(IContainerPlatform.GetAsync) && args[0] is WorkloadId id && id.Value == Volatile.Read(ref held);
        answer = mine ? PendingAsync((WorkloadId)args[0]!, (CancellationToken)args[1]!) : null;
        return mine;
    }

    async Task<WorkloadStatus> EnsuredAsync(WorkloadSpec spec, CancellationToken ct)
    {
        var status = await Inner.EnsureAsync(spec, ct);
        return Volatile.Read(ref held) == spec.Id.Value ? Pending(status) : status;
    }

    async Task<WorkloadStatus?> PendingAsync(WorkloadId id, CancellationToken ct)
    {
        var status = await Inner.GetAsync(id, ct);
        if (status is null || Volatile.Read(ref held) != id.Value)
        {
            return status;
        }
        Interlocked.Increment(ref looks);
        return Pending(status);
    }

    static WorkloadStatus Pending(WorkloadStatus status) => status with
    {
        Instances = [.. status.Instances.Select(i => i with { State = InstanceState.Pending, Address = null, StartedAt = null, Reason = "PodInitializing" })],
    };
}
