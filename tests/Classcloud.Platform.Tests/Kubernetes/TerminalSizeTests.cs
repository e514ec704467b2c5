using System.Text;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// Found on a real cluster: the size a terminal asks for right after the exec WebSocket opens can
/// reach the node before the process exists, and is then lost (4 of 20 terminals said <c>0 0</c>).
/// The fake API server loses such a resize every time, so these tests prove the driver's answer.
/// </summary>
public sealed class TerminalSizeTests(FakeClusterFixture cluster) : IClassFixture<FakeClusterFixture>
{
    static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    async Task<WorkloadId> RunningAsync(string name)
    {
        var spec = new WorkloadSpec
        {
            Id = new WorkloadId($"size-{name}-{Guid.NewGuid():N}"[..24]),
            Image = "registry.example/classcloud/test:1",
            Command = ["sleep", "infinity"],
            Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 64L * 1024 * 1024),
        };
        await cluster.Platform.EnsureAsync(spec, Timeout());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await cluster.Platform.GetAsync(spec.Id, Timeout()))?.Running != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{spec.Id} did not start");
            await Task.Delay(30);
        }
        return spec.Id;
    }

    /// <summary>Reads until <paramref name="done"/> holds for everything read so far, or the output ends.</summary>
    static async Task<string> ReadUntilAsync(IStreamSession session, StringBuilder text, Func<string, bool> done)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!done(text.ToString()) && await session.ReadAsync(buffer, timeout.Token) is { Count: > 0 } read)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_size_asked_for_before_the_process_started_is_applied_once_it_runs()
    {
        var id = await RunningAsync("early");
        var lostBefore = cluster.Api.DroppedResizes;
        await using var session = await cluster.Platform.ExecAsync(id, new ExecRequest { Command = ["sh"], Tty = true }, Timeout());
        await session.ResizeAsync(101, 31, Timeout());
        var text = new StringBuilder();
        await ReadUntilAsync(session, text, t => t.Contains("$ ", StringComparison.Ordinal));
        Assert.True(cluster.Api.DroppedResizes > lostBefore, "the first resize reached the node before the process existed, as on a real cluster");

        // Typed after the prompt, as a person does.
        await session.WriteAsync("stty size\r"u8.ToArray(), Timeout());
        var output = await ReadUntilAsync(session, text, t => t.Contains("stty size\r\n", StringComparison.Ordinal) && t.EndsWith("$ ", StringComparison.Ordinal));
        Assert.Contains("stty size\r\n31 101\r\n", output, StringComparison.Ordinal);
        Assert.Equal((101, 31), cluster.Api.LastResize);
    }

    [Fact]
    public async Task Keys_typed_before_the_process_started_travel_behind_the_size()
    {
        var id = await RunningAsync("typed");
        await using var session = await cluster.Platform.ExecAsync(id, new ExecRequest { Command = ["sh"], Tty = true }, Timeout());
        await session.ResizeAsync(120, 40, Timeout());
        await session.WriteAsync("stty size\r"u8.ToArray(), Timeout());
        var output = await ReadUntilAsync(session, new StringBuilder(), t => t.Contains("stty size\r\n", StringComparison.Ordinal) && t.EndsWith("$ ", StringComparison.Ordinal));
        Assert.Contains("stty size\r\n40 120\r\n", output, StringComparison.Ordinal);
    }

    /// <summary>Keys are held for the first output only so long: a program may print nothing until it has read.</summary>
    [Fact]
    public async Task A_silent_program_still_gets_its_keys()
    {
        var id = await RunningAsync("silent");
        await using var session = await cluster.Platform.ExecAsync(id, new ExecRequest { Command = ["cat"], Tty = true }, Timeout());
        await session.ResizeAsync(80, 24, Timeout());
        await session.WriteAsync("typed"u8.ToArray(), Timeout());
        Assert.Equal("typed", await ReadUntilAsync(session, new StringBuilder(), t => t == "typed"));
    }
}
