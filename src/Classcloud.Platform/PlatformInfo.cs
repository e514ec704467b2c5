namespace Classcloud.Platform;

/// <summary>
/// Names shared by every driver. Everything Classcloud creates in a container platform carries
/// <see cref="ManagedLabel"/>; the reconciler adopts and removes only objects that have it.
/// </summary>
public static class PlatformInfo
{
    /// <summary>Label prefix on everything Classcloud creates in a container platform.</summary>
    public const string LabelPrefix = "classcloud.io/";

    /// <summary>Label (value <c>true</c>) marking an object as created by Classcloud.</summary>
    public const string ManagedLabel = LabelPrefix + "managed";

    /// <summary>Label holding the <see cref="WorkloadId"/> an instance belongs to.</summary>
    public const string WorkloadLabel = LabelPrefix + "workload";

    /// <summary>Label holding an instance's replica ordinal (0, 1, …).</summary>
    public const string ReplicaLabel = LabelPrefix + "replica";

    /// <summary>Label holding the tenant a network, volume or workload belongs to.</summary>
    public const string TenantLabel = LabelPrefix + "tenant";

    /// <summary>Label holding a short hash of the spec an instance was created from.</summary>
    public const string SpecHashLabel = LabelPrefix + "spec-hash";

    /// <summary>Label holding the spec itself (JSON), so scaling and listing need no other store.</summary>
    public const string SpecLabel = LabelPrefix + "spec";

    /// <summary>Labels the driver sets itself; a spec cannot set them.</summary>
    public static readonly IReadOnlySet<string> ReservedLabels = new HashSet<string>(StringComparer.Ordinal)
    {
        ManagedLabel, WorkloadLabel, ReplicaLabel, TenantLabel, SpecHashLabel, SpecLabel,
    };

    /// <summary>Configuration key value for the Docker Engine driver.</summary>
    public const string DockerDriver = "docker";

    /// <summary>Configuration key value for the Kubernetes driver.</summary>
    public const string KubernetesDriver = "kubernetes";
}
