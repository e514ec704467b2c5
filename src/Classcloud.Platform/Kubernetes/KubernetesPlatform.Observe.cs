using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    /// <summary>The pod's log. Kubernetes merges stdout and stderr, so every line is Stdout; logs go with the pod when it is stopped.</summary>
    public async IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var (ns, pod) = await ExistingPodAsync(id, options.Replica, ct);
        var path = Query($"{PodsPath(ns)}/{pod}/log",
            ("container", KubeObjects.ContainerName),
            ("timestamps", "true"),
            ("follow", options.Follow ? "true" : null),
            ("tailLines", options.Tail is { } tail ? Int(tail) : null),
            ("sinceTime", options.Since?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        using var request = new HttpRequestMessage(HttpMethod.Get, kube.Url(path));
        using var response = await kube.SendAsync(request, streaming: true, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await ReadLineOrEndAsync(reader, ct) is { } line)
        {
            yield return ParseLogLine(line);
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
                metrics = await kube.FindAsync($"apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/{pod}", KubeJson.Default.PodMetrics, ct);
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
                lastStamp = metrics.Timestamp ?? "";
                yield return new WorkloadStats(
                    ParseTime(metrics.Timestamp) ?? time.GetUtcNow(),
                    Quantity.Parse(usage.GetValueOrDefault("cpu")) * 100,
                    (long)Quantity.Parse(usage.GetValueOrDefault("memory")),
                    limit, 0, 0, 0);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    async Task<(string Namespace, string Pod)> ExistingPodAsync(WorkloadId id, int replica, CancellationToken ct)
    {
        var deployment = (await FindDeploymentsAsync(id, ct)).FirstOrDefault() ?? throw new PlatformNotFoundException($"No such workload: {id}") { StatusCode = 404 };
        var ns = deployment.Metadata.Namespace!;
        var pods = LivePods(await PodsOfAsync(ns, id, ct));
        return replica >= 0 && replica < pods.Count
            ? (ns, pods[replica].Metadata.Name!)
            : throw new PlatformNotFoundException($"Replica {replica} of {id} has no pod (Kubernetes keeps a pod's log and metrics only while the pod exists).") { StatusCode = 404 };
    }
}
