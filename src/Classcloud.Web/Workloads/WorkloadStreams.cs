using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads;

/// <summary>One replica the console streams from.</summary>
public sealed record StreamTarget(IContainerPlatform Platform, WorkloadId Id, int Replica);

/// <summary>
/// Live logs and stats of one replica as Server-Sent Events for the console's detail page. Each
/// event's data is one JSON object (LogLineDto, StatsSampleDto); an "error" event carries a sentence
/// and an "end" event says the stream is over. Streams are bounded in lines and in time, so a
/// forgotten tab does not hold an engine connection for ever.
/// </summary>
public sealed class WorkloadStreams(ClasscloudDb db, WorkloadConsoleService console, ILogger<WorkloadStreams> log)
{
    public const int MaxTail = 1000;
    public const int MaxLines = 20_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(30);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<StreamTarget>> OpenAsync(string id, int replica, CancellationToken ct)
    {
        if (!await db.Workloads.AnyAsync(w => w.Id == id, ct))
        {
            return Problem.NotFound("No such workload.");
        }
        if (await console.EngineProblemAsync(ct) is { } unavailable)
        {
            return unavailable;
        }
        var platform = console.Platform;
        try
        {
            var status = WorkloadId.IsValid(id) ? await platform.GetAsync(new WorkloadId(id), ct) : null;
            if (status?.Instances.Any(i => i.Replica == replica) != true)
            {
                return Problem.NotFound("Replica {0} of this workload does not exist on the engine.", replica);
            }
            return new StreamTarget(platform, status.Id, replica);
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The container engine cannot be reached: {0}", ex.Message);
        }
    }

    public IAsyncEnumerable<SseItem<string>> LogsAsync(StreamTarget target, int tail, bool follow, CancellationToken ct) =>
        RelayAsync(token => target.Platform.LogsAsync(target.Id, new LogOptions(follow, tail, Replica: target.Replica), token),
            e => new LogLineDto(target.Replica, e.Stream.ToString().ToLowerInvariant(), e.Time, e.Text), MaxLines, ct);

    public IAsyncEnumerable<SseItem<string>> StatsAsync(StreamTarget target, CancellationToken ct) =>
        RelayAsync(token => target.Platform.StatsAsync(target.Id, target.Replica, token),
            s => new StatsSampleDto(target.Replica, s.Time, Math.Round(s.CpuPercent, 2), s.MemoryBytes, s.MemoryLimitBytes, s.Pids,
                s.NetworkReceivedBytes, s.NetworkSentBytes), (int)MaxDuration.TotalSeconds * 2, ct);

    /// <summary>Relays the engine's stream as JSON events; an engine failure becomes an "error" event, never a torn response.</summary>
    async IAsyncEnumerable<SseItem<string>> RelayAsync<TIn, TOut>(
        Func<CancellationToken, IAsyncEnumerable<TIn>> source, Func<TIn, TOut> map, int max, [EnumeratorCancellation] CancellationToken ct)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lifetime.CancelAfter(MaxDuration);
        await using var items = source(lifetime.Token).GetAsyncEnumerator(lifetime.Token);
        var count = 0;
        while (count < max)
        {
            string? error = null;
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                more = false;
            }
            catch (PlatformException ex)
            {
                log.LogInformation(ex, "Console stream ended by the engine");
                error = ex.Message;
                more = false;
            }
            if (error is not null)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { message = error }, Json), "error");
            }
            if (!more)
            {
                break;
            }
            count++;
            yield return new SseItem<string>(JsonSerializer.Serialize(map(items.Current), Json));
        }
        if (!ct.IsCancellationRequested)
        {
            yield return new SseItem<string>("{}", "end");
        }
    }
}
