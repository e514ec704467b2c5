using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    /// <summary>The pod's log. Kubernetes merges stdout and stderr, so every line is Stdout; logs go with the pod when it is stopped.</summary>
    public async IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var (ns, pod) = await ExistingPodAsync(id, options.Replica, ct);
        // The client has no sinceTime; seconds back from now say the same (rounded up, so nothing is lost).
        int? sinceSeconds = options.Since is { } since ? (int)Math.Max(1, Math.Ceiling((time.GetUtcNow() - since).TotalSeconds)) : null;
        Stream stream;
        try
        {
            stream = await kube.Client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: KubeObjects.ContainerName, follow: options.Follow ? true : null,
                sinceSeconds: sinceSeconds, tailLines: options.Tail, timestamps: true, cancellationToken: ct);
        }
        catch (Exception ex) when (kube.TranslateStream(ex, $"GET log of {ns}/{pod}") is { } failure)
        {
            throw failure;
        }
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            while (await ReadLineOrEndAsync(reader, ct) is { } line)
            {
                yield return ParseLogLine(line);
            }
        }
    }

    static async Task<string?> ReadLineOrEndAsync(StreamReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            return null;  // the pod went away mid-stream
        }
    }

    /// <summary>"2026-11-22T06:00:00.123456789Z text": RFC 3339 with nanoseconds, which .NET parses to 7 digits.</summary>
    internal static LogEntry ParseLogLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space > 0 ? line[..space] : line;
        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && stamp.EndsWith('Z') && stamp.Length - dot - 2 > 7)
        {
            stamp = stamp[..(dot + 8)] + "Z";
        }
        return DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? new LogEntry(OutputStream.Stdout, t, space > 0 ? line[(space + 1)..] : "")
            : new LogEntry(OutputStream.Stdout, DateTimeOffset.MinValue, line);
    }

    /// <summary>
    /// Samples from the metrics API (metrics-server) while the pod exists. Without metrics-server
    /// the stream ends at once with a warning; the metrics API has no process or network counters (0).
    /// </summary>
    public async IAsyncEnumerable<WorkloadStats> StatsAsync(WorkloadId id, int replica, [EnumeratorCancellation] CancellationToken ct)
    {
        var (ns, pod) = await ExistingPodAsync(id, replica, ct);
        var spec = (await GetAsync(id, ct))?.Spec;
        var limit = spec?.Resources.MemoryBytes ?? objects.DefaultMemoryBytes;
        string? lastStamp = null;
        while (!ct.IsCancellationRequested)
        {
            PodMetrics? metrics;
            try
            {
                // The metrics API is an aggregated API the typed client does not list per pod: read it as a custom object.
                var found = await kube.FindAsync($"GET metrics of {ns}/{pod}", (k, c) => k.CustomObjects.GetNamespacedCustomObjectAsync("metrics.k8s.io", "v1beta1", ns, "pods", pod, c), ct);
                metrics = found is JsonElement json ? KubernetesJson.Deserialize<PodMetrics>(json) : null;
            }
            catch (PlatformException ex) when (ex is not PlatformUnavailableException)
            {
                logger.LogWarning("The metrics API (metrics.k8s.io) is not available: {Message}", ex.Message);
                yield break;
            }
            if (metrics is null)
            {
                if (lastStamp is null)
                {
                    logger.LogWarning("No metrics for pod {Namespace}/{Pod}: is metrics-server installed?", ns, pod);
                }
                yield break;
            }
            if (metrics.Containers?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName)?.Usage is { } usage)
            {
                lastStamp = metrics.Timestamp?.ToString("O", CultureInfo.InvariantCulture) ?? "";
                yield return new WorkloadStats(
                    Utc(metrics.Timestamp) ?? time.GetUtcNow(),
                    Quantity.Of(usage, "cpu") * 100,
                    (long)Quantity.Of(usage, "memory"),
                    limit, 0, 0, 0);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    async Task<(string Namespace, string Pod)> ExistingPodAsync(WorkloadId id, int replica, CancellationToken ct)
    {
        var deployment = (await FindDeploymentsAsync(id, ct)).FirstOrDefault() ?? throw new PlatformNotFoundException($"No such workload: {id}") { StatusCode = 404 };
        var ns = deployment.Metadata.NamespaceProperty;
        var pods = LivePods(await PodsOfAsync(ns, id, ct));
        return replica >= 0 && replica < pods.Count
            ? (ns, pods[replica].Metadata.Name)
            : throw new PlatformNotFoundException($"Replica {replica} of {id} has no pod (Kubernetes keeps a pod's log and metrics only while the pod exists).") { StatusCode = 404 };
    }
}
