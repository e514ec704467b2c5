using System.Globalization;
using System.Text;
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
internal sealed partial class KubernetesPlatform(KubeClient kube, KubeObjects objects, TimeProvider time, ILogger<KubernetesPlatform> logger)
    : IContainerPlatform, IDisposable
{
    public const string Driver = "kubernetes";

    public void Dispose() => kube.Dispose();

    public PlatformFeatures Features => PlatformFeatures.SchedulingOnly;

    public async Task<EngineInfo> GetEngineInfoAsync(CancellationToken ct)
    {
        var version = await kube.GetAsync("version", KubeJson.Default.VersionInfo, ct);
        var nodes = await kube.GetAsync("api/v1/nodes", KubeJson.Default.KubeListNode, ct);
        // Classcloud's running pods only: this is also the readiness probe, and listing every pod of a
        // large cluster every few seconds would be a load of its own.
        var running = await kube.GetAsync("api/v1/pods?" + Selector([]) + "&fieldSelector=" + Uri.EscapeDataString("status.phase=Running"), KubeJson.Default.KubeListPod, ct);
        var cpus = nodes.Items.Sum(n => (int)Quantity.Parse(n.Status?.Allocatable?.GetValueOrDefault("cpu")));
        var memory = nodes.Items.Sum(n => (long)Quantity.Parse(n.Status?.Allocatable?.GetValueOrDefault("memory")));
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

    /// <summary><c>?labelSelector=k=v,…</c> with the managed label always included.</summary>
    static string Selector(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var all = new[] { new KeyValuePair<string, string>(PlatformInfo.ManagedLabel, "true") }.Concat(labels.Where(l => l.Key != PlatformInfo.ManagedLabel));
        return "labelSelector=" + Uri.EscapeDataString(string.Join(',', all.Select(l => $"{l.Key}={l.Value}")));
    }

    static string Query(string path, params (string Key, string? Value)[] parameters)
    {
        var query = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (key, value) in parameters)
        {
            if (value is not null)
            {
                query.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }
        return query.ToString();
    }

    static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    static Dictionary<string, string> WithoutManagedLabel(IReadOnlyDictionary<string, string>? labels) =>
        (labels ?? new Dictionary<string, string>()).Where(l => l.Key != PlatformInfo.ManagedLabel).ToDictionary();

    static string DeploymentPath(string ns, string name) => $"apis/apps/v1/namespaces/{ns}/deployments/{name}";

    static string PodsPath(string ns) => $"api/v1/namespaces/{ns}/pods";
}

/// <summary>Kubernetes resource quantities ("500m", "2", "128974848", "512Mi", "1Gi", "1k").</summary>
internal static class Quantity
{
    public static double Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }
        (string Suffix, double Factor)[] suffixes =
        [
            ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
            ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ];
        foreach (var (suffix, factor) in suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                return double.Parse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture) * factor;
            }
        }
        return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
