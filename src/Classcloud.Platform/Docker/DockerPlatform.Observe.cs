using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    public async IAsyncEnumerable<LogEntry> LogsAsync(WorkloadId id, LogOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var container = ContainerRequests.ContainerName(id, options.Replica);
        var inspect = await docker.GetJsonAsync($"containers/{container}/json", DockerJson.Default.ContainerInspect, ct);
        var path = Query($"containers/{container}/logs", ("stdout", "1"), ("stderr", "1"), ("timestamps", "1"),
            ("follow", options.Follow ? "1" : "0"),
            ("tail", options.Tail is { } tail ? Int(tail) : "all"),
            ("since", options.Since is { } since ? UnixSeconds(since) : null));
        using var request = new HttpRequestMessage(HttpMethod.Get, DockerClient.Url(path));
        using var response = await docker.SendStreamingAsync(request, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        // With a TTY the log is one raw stream; without, frames tell stdout from stderr.
        var demux = inspect.Config.Tty ? null : new MultiplexedReader(stream);
        var pending = new[] { new MemoryStream(), new MemoryStream() };
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = demux is null
                ? new StreamRead(await stream.ReadAsync(buffer, ct), OutputStream.Stdout)
                : await demux.ReadAsync(buffer, ct);
            if (read.Count == 0)
            {
                break;
            }
            var line = pending[(int)read.Stream];
            var start = 0;
            for (var i = 0; i < read.Count; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    line.Write(buffer, start, i - start);
                    yield return ParseLogLine(read.Stream, line);
                    line.SetLength(0);
                    start = i + 1;
                }
            }
            line.Write(buffer, start, read.Count - start);
        }
        foreach (var (line, stream_) in pending.Select((l, i) => (l, (OutputStream)i)))
        {
            if (line.Length > 0)
            {
                yield return ParseLogLine(stream_, line);
            }
            await line.DisposeAsync();
        }
    }

    /// <summary>Each line starts with the engine's RFC 3339 timestamp and a space (timestamps=1).</summary>
    static LogEntry ParseLogLine(OutputStream stream, MemoryStream line)
    {
        var text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r');
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && DateTimeOffset.TryParse(text.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return new LogEntry(stream, at, text[(space + 1)..]);
        }
        return new LogEntry(stream, default, text);
    }

    static string UnixSeconds(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return $"{Int(ticks / TimeSpan.TicksPerSecond)}.{Int(ticks % TimeSpan.TicksPerSecond * 100):D9}";
    }

    public async IAsyncEnumerable<WorkloadStats> StatsAsync(WorkloadId id, int replica, [EnumeratorCancellation] CancellationToken ct)
    {
        var container = ContainerRequests.ContainerName(id, replica);
        using var request = new HttpRequestMessage(HttpMethod.Get, DockerClient.Url($"containers/{container}/stats?stream=1"));
        using var response = await docker.SendStreamingAsync(request, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var sample in JsonLines.ReadAsync(stream, DockerJson.Default.StatsResponse, ct))
        {
            // A stopped container yields zeroed samples with no read time: the stream is over.
            if (sample.Read.Year <= 1)
            {
                yield break;
            }
            yield return ToStats(sample);
        }
    }

    static WorkloadStats ToStats(StatsResponse s)
    {
        var cpu = s.CpuStats;
        var pre = s.PreCpuStats;
        var cpuDelta = (double)(cpu?.CpuUsage?.TotalUsage ?? 0) - (pre?.CpuUsage?.TotalUsage ?? 0);
        var systemDelta = (double)(cpu?.SystemCpuUsage ?? 0) - (pre?.SystemCpuUsage ?? 0);
        var cores = cpu?.OnlineCpus is > 0 ? cpu.OnlineCpus : cpu?.CpuUsage?.PerCpuUsage?.Count ?? 1;
        var percent = cpuDelta > 0 && systemDelta > 0 && pre?.SystemCpuUsage > 0 ? cpuDelta / systemDelta * cores * 100 : 0;
        // Page cache is reclaimable: leave it out, as `docker stats` does (cgroup v1 key first, then v2).
        var memory = s.MemoryStats;
        var stats = memory?.Stats ?? [];
        var cache = stats.GetValueOrDefault("total_inactive_file", stats.GetValueOrDefault("inactive_file"));
        var used = Math.Max(0, (memory?.Usage ?? 0) - cache);
        var networks = s.Networks?.Values.ToList() ?? [];
        return new WorkloadStats(s.Read, percent, used, memory?.Limit ?? 0, s.PidsStats?.Current ?? 0,
            networks.Sum(n => n.RxBytes), networks.Sum(n => n.TxBytes));
    }
}
