using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    static readonly TimeSpan MaxWatchBackoff = TimeSpan.FromSeconds(30);

    /// <summary>What the watch last saw of a pod, to turn the next state into events.</summary>
    sealed record PodSeen(string Workload, string Namespace, string? Created, string Name, string? RunningSince, int Restarts, string? FinishedAt, bool Ready);

    /// <summary>
    /// Watches Classcloud's pods in every namespace from a list's resourceVersion, resuming from the
    /// last version seen when the stream ends or breaks. When the version is too old (410 Gone, as
    /// an HTTP status or an ERROR event) it lists again and yields Reconnected, as after any outage.
    /// </summary>
    public async IAsyncEnumerable<PlatformEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        string? version = null;
        var seen = new Dictionary<string, PodSeen>(StringComparer.Ordinal);
        var backoff = TimeSpan.FromSeconds(1);
        var reconnecting = false;
        while (!ct.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            var relist = version is null;
            try
            {
                if (relist)
                {
                    var list = await kube.GetAsync("api/v1/pods?" + Selector([]), KubeJson.Default.KubeListPod, ct);
                    version = list.Metadata?.ResourceVersion;
                    seen = list.Items.Where(p => p.Metadata.Uid is not null).ToDictionary(p => p.Metadata.Uid!, Seen, StringComparer.Ordinal);
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, kube.Url(Query("api/v1/pods?" + Selector([]),
                    ("watch", "true"), ("allowWatchBookmarks", "true"), ("resourceVersion", version))));
                response = await kube.SendAsync(request, streaming: true, ct);
            }
            catch (KubeGoneException)
            {
                version = null;
                reconnecting = true;
                if (relist)
                {
                    // Gone right after a fresh list: the server is unwell; do not hammer it.
                    await Task.Delay(backoff, time, ct);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxWatchBackoff.Ticks));
                }
                continue;
            }
            catch (PlatformException ex)
            {
                logger.LogWarning("Watching the Kubernetes API failed ({Message}); retrying in {Delay}.", ex.Message, backoff);
            }
            if (response is not null)
            {
                if (reconnecting)
                {
                    reconnecting = false;
                    yield return new PlatformEvent(time.GetUtcNow(), PlatformEventKind.Reconnected, null, 0);
                }
                var lines = 0;
                var opened = time.GetUtcNow();
                using (response)
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(ct);
                    using var reader = new StreamReader(stream);
                    while (await ReadLineOrEndAsync(reader, ct) is { } line)
                    {
                        if (line.Length == 0)
                        {
                            continue;
                        }
                        lines++;
                        using var document = JsonDocument.Parse(line);
                        var type = document.RootElement.GetProperty("type").GetString();
                        var item = document.RootElement.GetProperty("object");
                        if (type == "ERROR")
                        {
                            var status = item.Deserialize(KubeJson.Default.Status);
                            logger.LogInformation("The pod watch ended: {Message}", status?.Message);
                            if (status?.Code == 410)
                            {
                                version = null;  // too old: list again
                                reconnecting = true;
                            }
                            break;
                        }
                        var pod = item.Deserialize(KubeJson.Default.Pod);
                        version = pod?.Metadata.ResourceVersion ?? version;
                        if (type == "BOOKMARK" || pod?.Metadata.Uid is not { } uid)
                        {
                            continue;
                        }
                        foreach (var e in Changes(seen, uid, pod, deleted: type == "DELETED"))
                        {
                            yield return e;
                        }
                    }
                }
                if (lines > 0 || time.GetUtcNow() - opened > TimeSpan.FromSeconds(5))
                {
                    // The server ends watches after a while: resume from the last version (or relist
                    // at once after 410). A stream that ended at once, empty, waits below, so a server
                    // that keeps closing is not hammered.
                    backoff = TimeSpan.FromSeconds(1);
                    continue;
                }
            }
            reconnecting = true;
            await Task.Delay(backoff, time, ct);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxWatchBackoff.Ticks));
        }
    }

    static PodSeen Seen(Pod pod)
    {
        var main = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName);
        return new PodSeen(
            pod.Metadata.Labels?.GetValueOrDefault(PlatformInfo.WorkloadLabel) ?? "",
            pod.Metadata.Namespace ?? "",
            pod.Metadata.CreationTimestamp,
            pod.Metadata.Name ?? "",
            main?.State?.Running?.StartedAt,
            main?.RestartCount ?? 0,
            main?.State?.Terminated?.FinishedAt ?? main?.LastState?.Terminated?.FinishedAt,
            main?.Ready ?? false);
    }

    /// <summary>Events from the difference between what was seen of a pod and what it is now.</summary>
    List<PlatformEvent> Changes(Dictionary<string, PodSeen> seen, string uid, Pod pod, bool deleted)
    {
        var now = Seen(pod);
        var events = new List<PlatformEvent>();
        if (!WorkloadId.IsValid(now.Workload))
        {
            return events;
        }
        var before = seen.GetValueOrDefault(uid);
        seen[uid] = now;
        var replica = seen.Values
            .Where(s => s.Workload == now.Workload && s.Namespace == now.Namespace)
            .OrderBy(s => s.Created, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList().FindIndex(s => s.Name == now.Name);
        var at = time.GetUtcNow();
        var id = new WorkloadId(now.Workload);
        void Add(PlatformEventKind kind, int? exitCode = null) => events.Add(new PlatformEvent(at, kind, id, replica, exitCode));
        if (before is null)
        {
            Add(PlatformEventKind.Created);
        }
        var main = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName);
        if (now.FinishedAt is not null && now.FinishedAt != before?.FinishedAt)
        {
            var ended = main?.State?.Terminated ?? main?.LastState?.Terminated;
            if (ended?.Reason == "OOMKilled")
            {
                Add(PlatformEventKind.OomKilled);
            }
            Add(PlatformEventKind.Exited, ended?.ExitCode);
        }
        if (now.RunningSince is not null && now.RunningSince != before?.RunningSince)
        {
            Add(PlatformEventKind.Started);
        }
        var probed = pod.Spec?.Containers.FirstOrDefault(c => c.Name == KubeObjects.ContainerName)?.ReadinessProbe is not null;
        if (probed && before is not null && now.RunningSince is not null && now.Ready != before.Ready)
        {
            Add(now.Ready ? PlatformEventKind.Healthy : PlatformEventKind.Unhealthy);
        }
        if (deleted)
        {
            if (now.RunningSince is not null && now.FinishedAt == before?.FinishedAt)
            {
                Add(PlatformEventKind.Exited);
            }
            Add(PlatformEventKind.Removed);
            seen.Remove(uid);
        }
        return events;
    }
}
