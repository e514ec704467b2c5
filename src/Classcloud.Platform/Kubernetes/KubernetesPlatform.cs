using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// <see cref="IContainerPlatform"/> on the Kubernetes API. A tenant is a namespace
/// (<c>{prefix}{tenant}</c>) with a default-deny NetworkPolicy, allow rules for the tenant itself
/// and the gateway, and a ResourceQuota; a workload is a Deployment (replicas; 0 while stopped, the
/// wanted count kept in an annotation) plus a headless Service named after it; a volume is a
/// PersistentVolumeClaim. Replica ordinals are the pods' order of creation.
/// What Kubernetes cannot do through its API (freeze a pod, commit a container, build or import an
/// image) raises <see cref="PlatformNotSupportedException"/>; see docs/kubernetes.md.
/// </summary>
internal sealed partial class KubernetesPlatform(KubeApi kube, KubeObjects objects, TimeProvider time, ILogger<KubernetesPlatform> logger)
    : IContainerPlatform, IDisposable
{
    public const string Driver = "kubernetes";

    public void Dispose() => kube.Dispose();

    public PlatformFeatures Features => PlatformFeatures.SchedulingOnly;

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct)
    {
        var version = await kube.RequestAsync("GET /version", (k, c) => k.Version.GetCodeAsync(c), ct);
        var nodes = await kube.RequestAsync("GET nodes", (k, c) => k.CoreV1.ListNodeAsync(cancellationToken: c), ct);
        // Classcloud's running pods only: this is also the readiness probe, and listing every pod of a
        // large cluster every few seconds would be a load of its own.
        var running = await kube.RequestAsync("GET pods", (k, c) => k.CoreV1.ListPodForAllNamespacesAsync(
            fieldSelector: "status.phase=Running", labelSelector: Selector([]), cancellationToken: c), ct);
        var cpus = nodes.Items.Sum(n => (int)Quantity.Of(n.Status?.Allocatable, "cpu"));
        var memory = nodes.Items.Sum(n => (long)Quantity.Of(n.Status?.Allocatable, "memory"));
        var details = new Dictionary<string, string>
        {
            ["server"] = kube.Server.ToString(),
            ["nodes"] = nodes.Items.Count.ToString(CultureInfo.InvariantCulture),
            ["platform"] = version.Platform ?? "",
            ["namespacePrefix"] = objects.Options.NamespacePrefix,
            ["runningInstances"] = "Classcloud's pods only",
        };
        return new EngineInfo(Driver, version.GitVersion ?? "", "v1", cpus, memory, running.Items.Count, details);
    }

    /// <summary>A label selector (<c>k=v,…</c>) with the managed label always included.</summary>
    static string Selector(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var all = new[] { new KeyValuePair<string, string>(PlatformInfo.ManagedLabel, "true") }.Concat(labels.Where(l => l.Key != PlatformInfo.ManagedLabel));
        return string.Join(',', all.Select(l => $"{l.Key}={l.Value}"));
    }

    static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    static Dictionary<string, string> WithoutManagedLabel(IDictionary<string, string>? labels) =>
        (labels ?? new Dictionary<string, string>()).Where(l => l.Key != PlatformInfo.ManagedLabel).ToDictionary();
}

/// <summary>Resource quantities ("500m", "8Gi", "250000000n") as numbers, through the client's <see cref="ResourceQuantity"/>.</summary>
internal static class Quantity
{
    /// <summary>One resource of a quantity map (allocatable, usage), 0 when absent.</summary>
    public static double Of(IDictionary<string, ResourceQuantity>? quantities, string name) =>
        quantities is not null && quantities.TryGetValue(name, out var q) && q is not null ? (double)q.ToDecimal() : 0;
}

/// <summary>The client's label and annotation maps are <see cref="IDictionary{TKey, TValue}"/>, which has no GetValueOrDefault.</summary>
internal static class KubeMaps
{
    public static string? Value(this IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;
}
