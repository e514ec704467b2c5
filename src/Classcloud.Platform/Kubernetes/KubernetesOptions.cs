namespace Classcloud.Platform.Kubernetes;

/// <summary>How to reach the Kubernetes API and how Classcloud's objects are laid out there (section <c>Classcloud:Platform:Kubernetes</c>).</summary>
public sealed class KubernetesOptions
{
    /// <summary>Path of a kubeconfig file; null uses the pod's service account (in-cluster), then <c>$KUBECONFIG</c>, then <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Context of the kubeconfig to use; null uses its <c>current-context</c>.</summary>
    public string? Context { get; set; }

    /// <summary>Prefix of the namespaces Classcloud makes, one per tenant (<c>{prefix}{tenant}</c>).</summary>
    public string NamespacePrefix { get; set; } = "cc-";

    /// <summary>Namespace Classcloud itself runs in (where the registry pull secret is kept); null: the service account's, or the context's.</summary>
    public string? Namespace { get; set; }

    /// <summary>StorageClass of workload volumes; null uses the cluster's default class.</summary>
    public string? StorageClass { get; set; }

    /// <summary>Size requested for each workload volume (a Kubernetes quantity).</summary>
    public string VolumeSize { get; set; } = "5Gi";

    /// <summary>
    /// Each container's <c>ephemeral-storage</c> limit (a Kubernetes quantity): what it may write outside its volumes
    /// (its writable layer, logs, emptyDirs on disk) before the kubelet evicts it, so one workload cannot fill a node's
    /// disk. Null: no limit.
    /// </summary>
    public string? EphemeralStorage { get; set; } = "2Gi";

    /// <summary>Labels of the namespace the gateway runs in; the only place tenant workloads accept connections from.</summary>
    public Dictionary<string, string> GatewayNamespaceSelector { get; set; } = new() { ["kubernetes.io/metadata.name"] = "classcloud" };

    /// <summary>Labels of the gateway's pods inside that namespace.</summary>
    public Dictionary<string, string> GatewayPodSelector { get; set; } = new() { ["app.kubernetes.io/component"] = "gateway" };

    /// <summary>Name of the <c>kubernetes.io/dockerconfigjson</c> Secret (in <see cref="Namespace"/>) copied into each tenant namespace to pull images from the platform registry; null: none.</summary>
    public string? RegistryPullSecret { get; set; }

    /// <summary>ResourceQuota <c>hard</c> limits of each tenant namespace (Kubernetes quantities).</summary>
    public Dictionary<string, string> TenantQuota { get; set; } = new()
    {
        ["limits.cpu"] = "64",
        ["limits.memory"] = "128Gi",
        ["pods"] = "200",
        ["persistentvolumeclaims"] = "400",
        ["requests.storage"] = "2Ti",
    };

    /// <summary>
    /// Fraction of a workload's CPU limit requested for scheduling. CPU is compressible (a busy node
    /// slows down, nothing is killed) and idle workspaces use almost none, so the default is low.
    /// </summary>
    public double CpuRequestRatio { get; set; } = 0.1;

    /// <summary>
    /// Fraction of a workload's memory limit requested for scheduling (1 = guaranteed; 0.25 packs four
    /// times as many idle workspaces per node, at the risk of OOM kills when all are busy at once).
    /// </summary>
    public double MemoryRequestRatio { get; set; } = 0.25;

    /// <summary>Time limit for one request that is not a stream.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
