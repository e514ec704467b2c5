using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    static readonly TimeSpan MaxWatchBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Follows /events for our containers. When the engine goes away, waits (1 s doubling to 30 s),
    /// reconnects from the last event's time so nothing between is lost, and yields Reconnected.
    /// </summary>
    public async IAsyncEnumerable<PlatformEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long? lastNanos = null;
        var backoff = TimeSpan.FromSeconds(1);
        var reconnecting = false;
        var filters = LabelFilter([], type: "container");
        while (!ct.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            try
            {
                var since = lastNanos is { } n ? $"{Int(n / 1_000_000_000)}.{Int(n % 1_000_000_000):D9}" : null;
                using var request = new HttpRequestMessage(HttpMethod.Get, DockerClient.Url(Query("events", ("filters", filters), ("since", since))));
                response = await docker.SendStreamingAsync(request, ct);
            }
            catch (PlatformException ex)
            {
                logger.LogWarning("Watching the Docker Engine failed ({Message}); retrying in {Delay}.", ex.Message, backoff);
            }
            if (response is not null)
            {
                if (reconnecting)
                {
                    yield return new PlatformEvent(time.GetUtcNow(), PlatformEventKind.Reconnected, null, 0);
                }
                backoff = TimeSpan.FromSeconds(1);
                var stream = await response.Content.ReadAsStreamAsync(ct);
                var events = JsonLines.ReadAsync(stream, DockerJson.Default.EventMessage, ct).GetAsyncEnumerator(ct);
                try
                {
                    while (await MoveNextOrLostAsync(events, ct))
                    {
                        lastNanos = events.Current.TimeNano;
                        if (ToEvent(events.Current) is { } e)
                        {
                            yield return e;
                        }
                    }
                }
                finally
                {
                    await events.DisposeAsync();
                    await stream.DisposeAsync();
                    response.Dispose();
                }
                // The engine closed the stream (it stopped, or restarted): events may be missing.
                lastNanos ??= time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
            }
            reconnecting = true;
            await Task.Delay(backoff, time, ct);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxWatchBackoff.Ticks));
        }
    }

    async Task<bool> MoveNextOrLostAsync(IAsyncEnumerator<EventMessage> events, CancellationToken ct)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Lost the Docker Engine's event stream: {Message}", ex.Message);
            return false;
        }
    }

    static PlatformEvent? ToEvent(EventMessage m)
    {
        var attributes = m.Actor?.Attributes ?? [];
        if (!WorkloadId.IsValid(attributes.GetValueOrDefault(PlatformInfo.WorkloadLabel)))
        {
            return null;
        }
        PlatformEventKind? kind = m.Action switch
        {
            "create" => PlatformEventKind.Created,
            "start" => PlatformEventKind.Started,
            "die" => PlatformEventKind.Exited,
            "oom" => PlatformEventKind.OomKilled,
            "pause" => PlatformEventKind.Paused,
            "unpause" => PlatformEventKind.Unpaused,
            "destroy" => PlatformEventKind.Removed,
            "health_status: healthy" => PlatformEventKind.Healthy,
            "health_status: unhealthy" => PlatformEventKind.Unhealthy,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }
        int? exitCode = int.TryParse(attributes.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        var at = DateTimeOffset.UnixEpoch.AddTicks(m.TimeNano / 100);
        return new PlatformEvent(at, kind.Value, new WorkloadId(attributes[PlatformInfo.WorkloadLabel]), ReplicaOf(attributes), exitCode);
    }
}
