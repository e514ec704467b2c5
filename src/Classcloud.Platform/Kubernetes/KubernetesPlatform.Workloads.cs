using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    public Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, CancellationToken ct) => CreateAsync(spec, retried: false, ct);

    async Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, bool retried, CancellationToken ct)
    {
        SecurityDefaults.Validate(spec);
        if (spec.HostDirectories is { Count: > 0 })
        {
            // A node's directory is not this host's: callers leave them out on Kubernetes (the workspace command says so).
            throw new ArgumentException($"Workload {spec.Id}: host directories are not supported on Kubernetes.", nameof(spec));
        }
        var ns = objects.NamespaceOf(spec.Tenant);
        await RequireNamespaceAsync(spec.Tenant, ct);
        V1Deployment? existing = null;
        foreach (var d in await FindDeploymentsAsync(spec.Id, ct))
        {
            if (d.Metadata.NamespaceProperty == ns)
            {
                existing = d;
            }
            else
            {
                // Moved to another tenant: the old one goes, as Docker replaces a container on another network.
                await DeleteWorkloadObjectsAsync(d.Metadata.NamespaceProperty, spec.Id, ct);
            }
        }
        await EnsureClaimsAsync(spec, ns, ct);
        var hash = KubeObjects.SpecHash(spec);
        if (existing?.Metadata.Labels.Value(PlatformInfo.SpecHashLabel) != hash)
        {
            // Before the pod template that reads it; an unchanged hash means unchanged values.
            await WriteEnvSecretAsync(spec, ns, ct);
        }
        if (existing is null)
        {
            try
            {
                var deployment = objects.Deployment(spec, ns, 0, started: false);
                await kube.RequestAsync($"POST deployments in {ns}", (k, c) => k.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: c), ct);
            }
            catch (PlatformConflictException ex) when (!retried)
            {
                // Created concurrently: converge that one. (A second clash means the name is taken by
                // a Deployment Classcloud did not make, which it never touches.)
                logger.LogInformation("Deployment {Namespace}/{Name} appeared meanwhile: {Message}", ns, spec.Id, ex.Message);
                return await CreateAsync(spec, retried: true, ct);
            }
        }
        else if (existing.Metadata.Labels.Value(PlatformInfo.SpecHashLabel) == hash)
        {
            var running = existing.Spec.Replicas is > 0;
            await PatchDeploymentAsync(ns, spec.Id, running ? spec.Replicas : 0, spec.Replicas, started: null, ct);
        }
        else
        {
            // Another spec: replace the pod template and stop, as Docker replaces the containers with created ones.
            var replacement = objects.Deployment(spec, ns, 0, started: false);
            replacement.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await kube.RequestAsync($"PUT deployment {ns}/{spec.Id}", (k, c) => k.AppsV1.ReplaceNamespacedDeploymentAsync(replacement, spec.Id.Value, ns, cancellationToken: c), ct);
        }
        try
        {
            await kube.RequestAsync($"POST services in {ns}", (k, c) => k.CoreV1.CreateNamespacedServiceAsync(KubeObjects.Service(spec, ns), ns, cancellationToken: c), ct);
        }
        catch (PlatformConflictException)
        {
            // Already there: the Service never changes with the spec.
        }
        return await GetAsync(spec.Id, ct) ?? new WorkloadStatus(spec.Id, spec, []);
    }

    public async Task<WorkloadStatus> EnsureAsync(WorkloadSpec spec, CancellationToken ct)
    {
        await CreateAsync(spec, ct);
        await PatchDeploymentAsync(objects.NamespaceOf(spec.Tenant), spec.Id, spec.Replicas, spec.Replicas, started: true, ct);
        return await GetAsync(spec.Id, ct) ?? new WorkloadStatus(spec.Id, spec, []);
    }

    public async Task<WorkloadStatus?> GetAsync(WorkloadId id, CancellationToken ct)
    {
        var deployment = (await FindDeploymentsAsync(id, ct)).FirstOrDefault();
        if (deployment is null)
        {
            return null;
        }
        var ns = deployment.Metadata.NamespaceProperty;
        var status = ToStatus(id, deployment, await PodsOfAsync(ns, id, ct));
        return await WithPullProgressAsync(status, ns, ct);
    }

    public async Task<IReadOnlyList<WorkloadStatus>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var deployments = await kube.RequestAsync("GET deployments", (k, c) => k.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: Selector(labels), cancellationToken: c), ct);
        if (deployments.Items.Count == 0)
        {
            return [];
        }
        var pods = await kube.RequestAsync("GET pods", (k, c) => k.CoreV1.ListPodForAllNamespacesAsync(labelSelector: Selector([]), cancellationToken: c), ct);
        var byWorkload = pods.Items.ToLookup(p => (p.Metadata.NamespaceProperty, p.Metadata.Labels.Value(PlatformInfo.WorkloadLabel)));
        return [.. deployments.Items
            .Where(d => WorkloadId.IsValid(d.Metadata.Name))
            .OrderBy(d => d.Metadata.Name, StringComparer.Ordinal)
            .Select(d => ToStatus(new WorkloadId(d.Metadata.Name), d, [.. byWorkload[(d.Metadata.NamespaceProperty, d.Metadata.Name)]]))];
    }

    public async Task StartAsync(WorkloadId id, CancellationToken ct)
    {
        var d = await RequireDeploymentAsync(id, ct);
        var wanted = Wanted(d);
        await PatchDeploymentAsync(d.Metadata.NamespaceProperty, id, wanted, wanted, started: true, ct);
    }

    /// <summary>Scales to zero and waits (up to the grace period and half a minute) until the pods are gone, as a Docker stop returns once the process ended.</summary>
    public async Task StopAsync(WorkloadId id, CancellationToken ct)
    {
        var d = await RequireDeploymentAsync(id, ct);
        var ns = d.Metadata.NamespaceProperty;
        await PatchDeploymentAsync(ns, id, 0, Wanted(d), started: null, ct);
        var grace = TimeSpan.FromSeconds(d.Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30) + TimeSpan.FromSeconds(30);
        var deadline = time.GetUtcNow() + grace;
        while (time.GetUtcNow() < deadline)
        {
            if ((await PodsOfAsync(ns, id, ct)).Count == 0)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
        }
    }

    public Task PauseAsync(WorkloadId id, CancellationToken ct) =>
        throw new PlatformNotSupportedException(
            "Kubernetes cannot freeze a pod (there is no pause in its API); stop the workload instead. Suspended workspaces are stopped on Kubernetes (docs/kubernetes.md).");

    public Task UnpauseAsync(WorkloadId id, CancellationToken ct) =>
        throw new PlatformNotSupportedException("Kubernetes cannot freeze a pod, so nothing is ever paused; start the workload instead (docs/kubernetes.md).");

    /// <summary>Like <c>kubectl rollout restart</c>: a changed template annotation replaces every pod.</summary>
    public async Task RestartAsync(WorkloadId id, CancellationToken ct)
    {
        var d = await RequireDeploymentAsync(id, ct);
        var wanted = Wanted(d);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = Annotations(wanted, started: true) },
            ["spec"] = new JsonObject
            {
                ["replicas"] = wanted,
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject { [KubeObjects.RestartedAtAnnotation] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
                    },
                },
            },
        };
        await MergePatchAsync(d.Metadata.NamespaceProperty, id, patch, ct);
    }

    public async Task<bool> RemoveAsync(WorkloadId id, CancellationToken ct)
    {
        var deployments = await FindDeploymentsAsync(id, ct);
        foreach (var d in deployments)
        {
            await DeleteWorkloadObjectsAsync(d.Metadata.NamespaceProperty, id, ct);
        }
        return deployments.Count > 0;
    }

    public async Task<WorkloadStatus> ScaleAsync(WorkloadId id, int replicas, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var d = await RequireDeploymentAsync(id, ct);
        var running = d.Spec.Replicas is > 0;
        await PatchDeploymentAsync(d.Metadata.NamespaceProperty, id, running ? replicas : 0, replicas, started: null, ct);
        return await GetAsync(id, ct) ?? throw new PlatformNotFoundException($"No such workload: {id}");
    }

    async Task DeleteWorkloadObjectsAsync(string ns, WorkloadId id, CancellationToken ct)
    {
        await kube.DeleteAsync($"DELETE deployment {ns}/{id}", (k, c) => k.AppsV1.DeleteNamespacedDeploymentAsync(id.Value, ns, propagationPolicy: KubeApi.Background, cancellationToken: c), ct);
        await kube.DeleteAsync($"DELETE service {ns}/{id}", (k, c) => k.CoreV1.DeleteNamespacedServiceAsync(id.Value, ns, propagationPolicy: KubeApi.Background, cancellationToken: c), ct);
        await DeleteEnvSecretAsync(ns, id, ct);
    }

    /// <summary>Creates or replaces the workload's Secret (KubeObjects.Secrets.cs); removes it when the spec has no secret values.</summary>
    async Task WriteEnvSecretAsync(WorkloadSpec spec, string ns, CancellationToken ct)
    {
        if (KubeObjects.EnvSecret(spec, ns) is not { } secret)
        {
            await DeleteEnvSecretAsync(ns, spec.Id, ct);
            return;
        }
        var name = secret.Metadata.Name;
        try
        {
            await kube.RequestAsync($"POST secrets in {ns}", (k, c) => k.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: c), ct);
        }
        catch (PlatformConflictException)
        {
            await kube.RequestAsync($"PUT secret {ns}/{name}", (k, c) => k.CoreV1.ReplaceNamespacedSecretAsync(secret, name, ns, cancellationToken: c), ct);
        }
    }

    async Task DeleteEnvSecretAsync(string ns, WorkloadId id, CancellationToken ct) =>
        await kube.DeleteAsync($"DELETE secret {ns}/{KubeObjects.EnvSecretName(id)}",
            (k, c) => k.CoreV1.DeleteNamespacedSecretAsync(KubeObjects.EnvSecretName(id), ns, cancellationToken: c), ct);

    async Task<IList<V1Deployment>> FindDeploymentsAsync(WorkloadId id, CancellationToken ct)
    {
        var list = await kube.RequestAsync($"GET deployments of {id}", (k, c) => k.AppsV1.ListDeploymentForAllNamespacesAsync(
            labelSelector: Selector([new(PlatformInfo.WorkloadLabel, id.Value)]), cancellationToken: c), ct);
        return list.Items;
    }

    async Task<V1Deployment> RequireDeploymentAsync(WorkloadId id, CancellationToken ct) =>
        (await FindDeploymentsAsync(id, ct)).FirstOrDefault() ?? throw new PlatformNotFoundException($"No such workload: {id}") { StatusCode = 404 };

    /// <summary>Sets the running replica count and the wanted one (kept while stopped) in one merge patch.</summary>
    Task<V1Deployment> PatchDeploymentAsync(string ns, WorkloadId id, int replicas, int wanted, bool? started, CancellationToken ct)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = Annotations(wanted, started) },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        };
        return MergePatchAsync(ns, id, patch, ct);
    }

    /// <summary>A JSON merge patch (RFC 7386) of the Deployment: only the given fields change.</summary>
    Task<V1Deployment> MergePatchAsync(string ns, WorkloadId id, JsonObject patch, CancellationToken ct) =>
        kube.RequestAsync($"PATCH deployment {ns}/{id}", (k, c) => k.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), id.Value, ns, cancellationToken: c), ct);

    static JsonObject Annotations(int wanted, bool? started)
    {
        var annotations = new JsonObject { [KubeObjects.ReplicasAnnotation] = Int(wanted) };
        if (started is { } s)
        {
            annotations[KubeObjects.StartedAnnotation] = s ? "true" : "false";
        }
        return annotations;
    }

    static int Wanted(V1Deployment d) =>
        int.TryParse(d.Metadata.Annotations.Value(KubeObjects.ReplicasAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : d.Spec.Replicas ?? 0;

    static WorkloadSpec? SpecOf(V1Deployment d)
    {
        if (d.Metadata.Annotations.Value(PlatformInfo.SpecLabel) is not { Length: > 0 } json)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, KubeJson.Default.WorkloadSpec) is { } s ? s with { Replicas = Wanted(d) } : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return null;  // written by another version or by hand: the status still counts
        }
    }
}
