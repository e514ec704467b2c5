using System.Text;
using System.Text.RegularExpressions;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class ExecTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    [Fact]
    public async Task Exec_with_a_tty_round_trips_keystrokes_and_resizes()
    {
        var spec = Spec("tty");
        await Platform.EnsureAsync(spec, Timeout());
        await using var session = await Platform.ExecAsync(spec.Id, new ExecRequest { Command = ["bash", "--norc", "-i"], Tty = true }, Timeout());
        Assert.True(session.Tty);

        await session.WriteAsync("echo hi\n"u8.ToArray(), Timeout());
        // The terminal echoes the command line ("echo hi"); the answer is "hi" alone on a line.
        var (text, _) = await ReadUntilAsync(session, t => Regex.IsMatch(t, @"[\r\n]hi\r\n"));
        Assert.Matches(@"[\r\n]hi\r\n", text);

        await session.ResizeAsync(123, 45, Timeout());
        await session.WriteAsync("stty size\n"u8.ToArray(), Timeout());
        (text, _) = await ReadUntilAsync(session, t => t.Contains("45 123", StringComparison.Ordinal));
        Assert.Contains("45 123", text, StringComparison.Ordinal);

        Assert.Null(await session.GetExitCodeAsync(Timeout()));
        await session.WriteAsync("exit 7\n"u8.ToArray(), Timeout());
        var (rest, ended) = await ReadUntilAsync(session, _ => false);
        Assert.True(ended, $"the output did not end after exit; it was: {rest}");
        Assert.Equal(7, await WaitForExitAsync(session));
    }

    [Fact]
    public async Task Exec_without_a_tty_keeps_stdout_and_stderr_apart_and_reports_the_exit_code()
    {
        var spec = Spec("notty");
        await Platform.EnsureAsync(spec, Timeout());
        var result = await RunAsync(spec.Id, "bash", "-c", "echo out; echo err >&2; echo more; exit 3");
        Assert.Equal("out\nmore\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Truncated);

        // Large output crosses many frames and is cut at the limit.
        var big = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["bash", "-c", "head -c 300000 /dev/zero | tr '\\0' x"], MaxOutputBytes = 1000 }, Timeout());
        Assert.Equal(new string('x', 1000), big.Stdout);
        Assert.True(big.Truncated);
    }

    [Fact]
    public async Task Exec_feeds_stdin_and_closes_it()
    {
        var spec = Spec("stdin");
        await Platform.EnsureAsync(spec, Timeout());
        var request = new ExecRequest { Command = ["bash", "-c", "wc -l; cat >&2 </dev/null"], Input = Encoding.UTF8.GetBytes("one\ntwo\nthree\n") };
        var result = await Platform.RunAsync(spec.Id, request, Timeout());
        Assert.Equal("3\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);

        var env = await Platform.RunAsync(spec.Id, new ExecRequest { Command = ["bash", "-c", "echo $X $(pwd) $(id -u)"], Environment = new Dictionary<string, string> { ["X"] = "y" }, WorkingDirectory = "/tmp", User = "1234" }, Timeout());
        Assert.Equal("y /tmp 1234\n", env.Stdout);
    }

    [Fact]
    public async Task Exec_as_root_is_refused()
    {
        var spec = Spec("root");
        await Platform.EnsureAsync(spec, Timeout());
        await Assert.ThrowsAsync<ArgumentException>(() => Platform.RunAsync(spec.Id, new ExecRequest { Command = ["id"], User = "0" }, Timeout()));
    }

    [Fact]
    public async Task Attach_connects_to_the_main_process_terminal()
    {
        var spec = Spec("attach", "bash", "--norc", "-i") with { Tty = true };
        await Platform.EnsureAsync(spec, Timeout());
        await using var session = await Platform.AttachAsync(spec.Id, 0, Timeout());
        Assert.True(session.Tty);
        await session.ResizeAsync(100, 30, Timeout());
        await session.WriteAsync("echo attached-$((6*7))\n"u8.ToArray(), Timeout());
        var (text, _) = await ReadUntilAsync(session, t => t.Contains("attached-42", StringComparison.Ordinal));
        Assert.Contains("attached-42", text, StringComparison.Ordinal);
        await session.WriteAsync("exit 5\n"u8.ToArray(), Timeout());
        Assert.True((await ReadUntilAsync(session, _ => false)).Ended);
        Assert.Equal(5, await WaitForExitAsync(session));
    }

    static async Task<int?> WaitForExitAsync(IStreamSession session)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await session.GetExitCodeAsync(Timeout()) is { } code)
            {
                return code;
            }
            await Task.Delay(100);
        }
        return null;
    }
}
