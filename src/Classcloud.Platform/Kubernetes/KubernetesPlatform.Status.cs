namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    /// <summary>
    /// Live pods in order of creation are the replicas. A stopped workload (0 replicas) shows its
    /// wanted replicas as Created (never started) or Exited; a running one whose pods do not exist
    /// yet shows them Pending.
    /// </summary>
    static WorkloadStatus ToStatus(WorkloadId id, Deployment d, List<Pod> pods)
    {
        var spec = SpecOf(d);
        var wanted = Wanted(d);
        var running = d.Spec.Replicas > 0;
        var live = LivePods(pods);
        var instances = new List<InstanceStatus>();
        if (running)
        {
            instances.AddRange(live.Take(wanted).Select((p, i) => ToInstance(i, p, spec?.HealthCheck is not null)));
        }
        var started = d.Metadata.Annotations?.GetValueOrDefault(KubeObjects.StartedAnnotation) == "true";
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
    static List<Pod> LivePods(IEnumerable<Pod> pods) => [.. pods
        .Where(p => p.Metadata.DeletionTimestamp is null)
        .OrderBy(p => p.Metadata.CreationTimestamp, StringComparer.Ordinal)
        .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    async Task<List<Pod>> PodsOfAsync(string ns, WorkloadId id, CancellationToken ct) =>
        (await kube.GetAsync(Query(PodsPath(ns), ("labelSelector", $"{PlatformInfo.ManagedLabel}=true,{PlatformInfo.WorkloadLabel}={id.Value}")), KubeJson.Default.KubeListPod, ct)).Items;

    static InstanceStatus ToInstance(int replica, Pod pod, bool hasHealthCheck)
    {
        var main = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName);
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var last = main?.LastState?.Terminated;
        var state = InstanceState.Unknown;
        string? reason = null;
        string? error = null;
        int? exitCode = null;
        DateTimeOffset? startedAt = null;
        DateTimeOffset? finishedAt = last is null ? null : ParseTime(last.FinishedAt);
        if (main?.State?.Running is { } run)
        {
            state = InstanceState.Running;
            startedAt = ParseTime(run.StartedAt);
        }
        else if (main?.State?.Terminated is { } ended)
        {
            state = InstanceState.Exited;
            exitCode = ended.ExitCode;
            startedAt = ParseTime(ended.StartedAt);
            finishedAt = ParseTime(ended.FinishedAt);
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
                var events = await kube.GetAsync(
                    Query($"api/v1/namespaces/{ns}/events", ("fieldSelector", $"involvedObject.name={instance.InstanceId}")), KubeJson.Default.KubeListEvent, ct);
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
}
