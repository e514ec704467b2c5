using k8s;
using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    /// <summary>
    /// Live pods in order of creation are the replicas. A stopped workload (0 replicas) shows its
    /// wanted replicas as Created (never started) or Exited; a running one whose pods do not exist
    /// yet shows them Pending.
    /// </summary>
    static WorkloadStatus ToStatus(WorkloadId id, V1Deployment d, List<V1Pod> pods)
    {
        var spec = SpecOf(d);
        var wanted = Wanted(d);
        var running = d.Spec.Replicas is > 0;
        var live = LivePods(pods);
        var instances = new List<InstanceStatus>();
        if (running)
        {
            instances.AddRange(live.Take(wanted).Select((p, i) => ToInstance(i, p, spec?.HealthCheck is not null)));
        }
        var started = d.Metadata.Annotations.Value(KubeObjects.StartedAnnotation) == "true";
        for (var i = instances.Count; i < wanted; i++)
        {
            var state = running ? InstanceState.Pending : started ? InstanceState.Exited : InstanceState.Created;
            instances.Add(new InstanceStatus(i, $"{id.Value}-{i}", state, HealthState.None, null, false, 0, null, null, null, null)
            {
                Reason = running ? "Waiting for the Deployment controller to create the pod." : null,
            });
        }
        return new WorkloadStatus(id, spec, instances);
    }

    /// <summary>Pods not being deleted, in order of creation: index i is replica i.</summary>
    static List<V1Pod> LivePods(IEnumerable<V1Pod> pods) => [.. pods
        .Where(p => p.Metadata.DeletionTimestamp is null)
        .OrderBy(p => p.Metadata.CreationTimestamp)
        .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    async Task<List<V1Pod>> PodsOfAsync(string ns, WorkloadId id, CancellationToken ct) =>
        [.. (await kube.RequestAsync($"GET pods of {ns}/{id}", (k, c) => k.CoreV1.ListNamespacedPodAsync(ns,
            labelSelector: $"{PlatformInfo.ManagedLabel}=true,{PlatformInfo.WorkloadLabel}={id.Value}", cancellationToken: c), ct)).Items];

    static InstanceStatus ToInstance(int replica, V1Pod pod, bool hasHealthCheck)
    {
        var main = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName);
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var last = main?.LastState?.Terminated;
        var state = InstanceState.Unknown;
        string? reason = null;
        string? error = null;
        int? exitCode = null;
        DateTimeOffset? startedAt = null;
        DateTimeOffset? finishedAt = Utc(last?.FinishedAt);
        if (main?.State?.Running is { } run)
        {
            state = InstanceState.Running;
            startedAt = Utc(run.StartedAt);
        }
        else if (main?.State?.Terminated is { } ended)
        {
            state = InstanceState.Exited;
            exitCode = ended.ExitCode;
            startedAt = Utc(ended.StartedAt);
            finishedAt = Utc(ended.FinishedAt);
        }
        else if (main?.State?.Waiting is { } waiting)
        {
            reason = string.IsNullOrEmpty(waiting.Message) ? waiting.Reason : $"{waiting.Reason}: {waiting.Message}";
            (state, error) = waiting.Reason switch
            {
                "CrashLoopBackOff" => (InstanceState.Restarting, null),
                "ContainerCreating" or "PodInitializing" or "ErrImagePull" or "ImagePullBackOff" => (InstanceState.Pending, null),
                _ => (InstanceState.Unknown, reason),
            };
            exitCode = last?.ExitCode;
        }
        else if (pod.Status?.Phase is "Pending" or null)
        {
            state = InstanceState.Pending;
            reason = scheduled is { Status: "False" }
                ? $"Waiting for capacity: {scheduled.Message ?? scheduled.Reason ?? "no node can take it yet"}"
                : "Scheduled; the node is preparing it.";
        }
        else if (pod.Status.Phase is "Succeeded" or "Failed")
        {
            state = InstanceState.Exited;
        }
        var health = !hasHealthCheck ? HealthState.None
            : state != InstanceState.Running ? HealthState.Starting
            : main?.Ready == true ? HealthState.Healthy
            : HealthState.Unhealthy;
        var oom = (main?.State?.Terminated?.Reason ?? last?.Reason) == "OOMKilled";
        return new InstanceStatus(
            replica,
            pod.Metadata.Name ?? "",
            state,
            health,
            exitCode,
            oom,
            main?.RestartCount ?? 0,
            startedAt,
            finishedAt,
            state == InstanceState.Running ? pod.Status?.PodIP : null,
            error)
        {
            Reason = reason,
        };
    }

    /// <summary>
    /// For a pod whose image is still being pulled, the latest event on it ("Pulling image …",
    /// "Successfully pulled …") is the progress the API reports.
    /// </summary>
    async Task<WorkloadStatus> WithPullProgressAsync(WorkloadStatus status, string ns, CancellationToken ct)
    {
        var instances = new List<InstanceStatus>(status.Instances.Count);
        foreach (var instance in status.Instances)
        {
            if (instance.State == InstanceState.Pending && instance.Reason?.StartsWith("ContainerCreating", StringComparison.Ordinal) == true)
            {
                var events = await kube.RequestAsync($"GET events of {ns}/{instance.InstanceId}", (k, c) => k.CoreV1.ListNamespacedEventAsync(ns,
                    fieldSelector: $"involvedObject.name={instance.InstanceId}", cancellationToken: c), ct);
                if (events.Items.LastOrDefault(e => e.Reason is "Pulling" or "Pulled") is { } pull)
                {
                    instances.Add(instance with { Reason = $"{instance.Reason} ({pull.Message})" });
                    continue;
                }
            }
            instances.Add(instance);
        }
        return status with { Instances = instances };
    }

    /// <summary>The client reads API times as UTC <see cref="DateTime"/>s.</summary>
    static DateTimeOffset? Utc(DateTime? t) => t switch
    {
        null => null,
        { Kind: DateTimeKind.Local } v => new DateTimeOffset(v.ToUniversalTime()),
        { } v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)),
    };
}
