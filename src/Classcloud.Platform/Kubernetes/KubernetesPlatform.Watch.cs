using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    static readonly TimeSpan MaxWatchBackoff = TimeSpan.FromSeconds(30);

    /// <summary>What the watch last saw of a pod, to turn the next state into events.</summary>
    sealed record PodSeen(string Workload, string Namespace, DateTime? Created, string Name, DateTime? RunningSince, int Restarts, DateTime? FinishedAt, bool Ready);

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
            var relist = version is null;
            IAsyncEnumerator<(WatchEventType Type, V1Pod Pod)>? stream = null;
            var first = false;
            // ERROR events reach the client's onError callback, not the enumeration.
            Exception? streamError = null;
            PlatformException? failure = null;
            if (relist)
            {
                try
                {
                    var list = await kube.RequestAsync("GET pods", (k, c) => k.CoreV1.ListPodForAllNamespacesAsync(labelSelector: Selector([]), cancellationToken: c), ct);
                    version = list.Metadata?.ResourceVersion;
                    seen = list.Items.Where(p => p.Metadata.Uid is not null).ToDictionary(p => p.Metadata.Uid, Seen, StringComparer.Ordinal);
                }
                catch (PlatformException ex) when (!ct.IsCancellationRequested)
                {
                    failure = ex;
                }
                if (failure is null && reconnecting)
                {
                    // Listed again: what was missed is known now. (The watch below answers only with
                    // its first event, which may be long in coming.)
                    reconnecting = false;
                    yield return new PlatformEvent(time.GetUtcNow(), PlatformEventKind.Reconnected, null, 0);
                }
            }
            if (failure is null)
            {
                try
                {
                    stream = kube.Client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: Selector([]), resourceVersion: version,
                        onError: e => streamError ??= e, cancellationToken: ct).GetAsyncEnumerator(ct);
                    // The request goes out with the first step: an HTTP error (410 too) shows here.
                    first = await stream.MoveNextAsync();
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && kube.TranslateStream(ex, "watch pods") is { } translated)
                {
                    await stream!.DisposeAsync();
                    stream = null;
                    failure = translated;
                }
            }
            if (failure is KubeGoneException)
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
            if (failure is not null)
            {
                logger.LogWarning("Watching the Kubernetes API failed ({Message}); retrying in {Delay}.", failure.Message, backoff);
            }
            if (stream is not null)
            {
                if (reconnecting)
                {
                    reconnecting = false;
                    yield return new PlatformEvent(time.GetUtcNow(), PlatformEventKind.Reconnected, null, 0);
                }
                var lines = 0;
                var opened = time.GetUtcNow();
                await using (stream)
                {
                    var more = first;
                    while (more)
                    {
                        var (type, pod) = stream.Current;
                        lines++;
                        version = pod?.Metadata?.ResourceVersion ?? version;
                        if (type != WatchEventType.Bookmark && pod?.Metadata?.Uid is { } uid)
                        {
                            foreach (var e in Changes(seen, uid, pod, deleted: type == WatchEventType.Deleted))
                            {
                                yield return e;
                            }
                        }
                        more = await NextAsync(stream, ct);
                    }
                }
                if (streamError is KubernetesException { Status.Code: 410 } gone)
                {
                    logger.LogInformation("The pod watch ended: {Message}", gone.Status.Message);
                    version = null;  // too old: list again
                    reconnecting = true;
                    lines++;
                }
                else if (streamError is not null)
                {
                    logger.LogInformation("The pod watch reported: {Message}", streamError.Message);
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

    /// <summary>The next event, or false when the stream ended or broke (the caller resumes from the last version).</summary>
    static async Task<bool> NextAsync(IAsyncEnumerator<(WatchEventType, V1Pod)> stream, CancellationToken ct)
    {
        try
        {
            return await stream.MoveNextAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    static PodSeen Seen(V1Pod pod)
    {
        var main = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == KubeObjects.ContainerName);
        return new PodSeen(
            pod.Metadata.Labels.Value(PlatformInfo.WorkloadLabel) ?? "",
            pod.Metadata.NamespaceProperty ?? "",
            pod.Metadata.CreationTimestamp,
            pod.Metadata.Name ?? "",
            main?.State?.Running?.StartedAt,
            main?.RestartCount ?? 0,
            main?.State?.Terminated?.FinishedAt ?? main?.LastState?.Terminated?.FinishedAt,
            main?.Ready ?? false);
    }

    /// <summary>Events from the difference between what was seen of a pod and what it is now.</summary>
    List<PlatformEvent> Changes(Dictionary<string, PodSeen> seen, string uid, V1Pod pod, bool deleted)
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
            .OrderBy(s => s.Created).ThenBy(s => s.Name, StringComparer.Ordinal)
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
