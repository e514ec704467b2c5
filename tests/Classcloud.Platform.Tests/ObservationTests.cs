using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class ObservationTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    [Fact]
    public async Task Logs_follow_new_lines_and_keep_stderr_apart()
    {
        var spec = Spec("logs", "bash", "-c", "echo start; echo oops >&2; i=0; while :; do i=$((i+1)); echo line $i; sleep 0.2; done");
        await Platform.EnsureAsync(spec, Timeout());

        var lines = new List<LogEntry>();
        using var ct = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var entry in Platform.LogsAsync(spec.Id, new LogOptions(Follow: true), ct.Token))
        {
            lines.Add(entry);
            if (entry.Text == "line 4")
            {
                break;  // written after the stream was opened: following works
            }
        }
        // stdout and stderr are separate pipes: the engine may log "oops" before "start", so order is checked per stream.
        Assert.Equal("start", lines.First(l => l.Stream == OutputStream.Stdout).Text);
        Assert.Contains(lines, l => l is { Stream: OutputStream.Stderr, Text: "oops" });
        Assert.DoesNotContain(lines, l => l.Stream == OutputStream.Stdout && l.Text == "oops");
        Assert.All(lines, l => Assert.True(l.Time > DateTimeOffset.UtcNow.AddMinutes(-1) && l.Time <= DateTimeOffset.UtcNow.AddSeconds(1)));

        var tail = new List<LogEntry>();
        await foreach (var entry in Platform.LogsAsync(spec.Id, new LogOptions(Tail: 2), Timeout()))
        {
            tail.Add(entry);
        }
        Assert.Equal(2, tail.Count);
        Assert.All(tail, l => Assert.StartsWith("line ", l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_stream_reports_memory_against_the_limit_and_cpu()
    {
        var spec = Spec("stats", "bash", "-c", "trap 'exit 0' TERM; while :; do :; done");
        await Platform.EnsureAsync(spec, Timeout());
        var samples = new List<WorkloadStats>();
        await foreach (var sample in Platform.StatsAsync(spec.Id, 0, Timeout()))
        {
            samples.Add(sample);
            if (samples.Count == 3)
            {
                break;
            }
        }
        Output.WriteLine(string.Join("\n", samples));
        var last = samples[^1];
        Assert.Equal(64 * MiB, last.MemoryLimitBytes);
        Assert.InRange(last.MemoryBytes, 1, 64 * MiB);
        Assert.InRange(last.Pids, 1, 64);
        // A busy loop under a 0.5 CPU limit: about half a core.
        Assert.InRange(last.CpuPercent, 20, 80);
        Assert.True(last.Time > samples[0].Time);
    }
}
