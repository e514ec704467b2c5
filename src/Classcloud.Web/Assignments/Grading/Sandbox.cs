using System.Diagnostics;
using System.Text;
using Classcloud.Platform;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>
/// A running grading sandbox (<see cref="AssignmentContainers.InSandboxAsync{T}"/>): all tests in one exec
/// (<see cref="RunAllAsync"/>), or one exec per test (<see cref="RunAsync"/>: the fallback for what the batch could
/// not report, and the path when <see cref="AssignmentsOptions.BatchTests"/> is off).
/// </summary>
public sealed class Sandbox(IContainerPlatform platform, WorkloadId id, byte[] submissionTar)
{
    /// <summary>
    /// timeout (not --foreground) puts the program in a process group of its own and kills that group at the
    /// limit; the wrapper kills what is left of the group when the program ends on its own (a fork bomb's
    /// background children would otherwise hold the output open). Whatever escaped the group (setsid) and keeps the
    /// output open holds the exec until the engine stops waiting for it (~2 s on Docker) and lives on; the watchdog
    /// (limit + 5 s) kills every process but the sandbox's init when the exec does not end.
    /// </summary>
    const string Wrapper = "exec 3<&0; timeout -s KILL \"$1\" sh -c \"$2\" 0<&3 3<&- & t=$!; exec 3<&-; wait $t; code=$?; kill -KILL -$t 2>/dev/null; exit $code";

    bool unpacked;

    /// <summary>
    /// Unpacks the submission and runs every test in one exec (<see cref="TestBatch"/>). An entry is null where the
    /// batch has no result for that test (the runner could not run it, or the image has no bash 5), and all are null
    /// when the exec's watchdog — the sum of the limits and a margin — had to stop it.
    /// </summary>
    public async Task<TestRun?[]> RunAllAsync(string command, IReadOnlyList<(string Stdin, int TimeLimitMs)> tests, CancellationToken ct)
    {
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchdog.CancelAfter(TestBatch.Watchdog(tests.Select(t => t.TimeLimitMs)));
        var request = new ExecRequest { Command = TestBatch.Command(command), WorkingDirectory = "/work" };
        try
        {
            var (code, output, stderr) = await ExecAsync(request, TestBatch.Input(tests, submissionTar), TestBatch.MaxResultBytes(tests.Count), watchdog.Token);
            if (code == TestBatch.UnpackFailed)
            {
                throw new PlatformException($"Copying the submission into the sandbox failed: {stderr.Trim()}");
            }
            unpacked = true;
            return code == TestBatch.NoBash ? new TestRun?[tests.Count] : TestBatch.Parse(output, tests.Count);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await KillAllAsync(ct);
            unpacked = true;
            return new TestRun?[tests.Count];
        }
    }

    /// <summary>One test in its own exec, timed from here (the exec's round trip included), cut at its wall time.</summary>
    public async Task<TestRun> RunAsync(string command, string stdin, int timeLimitMs, CancellationToken ct)
    {
        if (!unpacked)
        {
            var unpack = await platform.RunAsync(id, new ExecRequest { Command = ["tar", "-x", "--no-same-owner", "-C", "/work"], Input = new ReadOnlyMemory<byte>(submissionTar), MaxOutputBytes = 4096 }, ct);
            if (unpack.ExitCode != 0)
            {
                throw new PlatformException($"Copying the submission into the sandbox failed: {unpack.Stderr.Trim()}");
            }
            unpacked = true;
        }
        var watch = Stopwatch.StartNew();
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchdog.CancelAfter(timeLimitMs + 5000);
        try
        {
            var run = await platform.RunAsync(id, new ExecRequest
            {
                Command = ["sh", "-c", Wrapper, "sh", TestBatch.Seconds(timeLimitMs), command],
                Input = new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(stdin)),
                WorkingDirectory = "/work",
                MaxOutputBytes = AssignmentLimits.Output,
            }, watchdog.Token);
            return new TestRun(run.ExitCode, run.Stdout, run.Stderr, run.Truncated, (int)watch.ElapsedMilliseconds, Held: false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await KillAllAsync(ct);
            return new TestRun(137, "", "", Truncated: false, (int)watch.ElapsedMilliseconds, Held: true);
        }
    }

    async Task KillAllAsync(CancellationToken ct) =>
        await platform.RunAsync(id, new ExecRequest { Command = ["sh", "-c", "kill -KILL -1"], MaxOutputBytes = 1024 }, ct);

    /// <summary>An exec with binary output (the results tar): stdin written while stdout is read, stdout kept up to <paramref name="max"/>.</summary>
    async Task<(int Code, ReadOnlyMemory<byte> Output, string Stderr)> ExecAsync(ExecRequest request, byte[] input, int max, CancellationToken ct)
    {
        await using var session = await platform.ExecAsync(id, request, ct);
        var reading = ReadAsync(session, max, ct);
        await session.WriteAsync(input, ct);
        await session.CloseInputAsync(ct);
        var (output, stderr) = await reading;
        return (await session.ExitCodeAsync(id.Value, TimeProvider.System, ct), output, stderr);
    }

    static async Task<(ReadOnlyMemory<byte> Output, string Stderr)> ReadAsync(IStreamSession session, int max, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringBuilder();
        var buffer = new byte[64 * 1024];
        while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
        {
            if (read.Stream == OutputStream.Stderr)
            {
                stderr.Append(Encoding.UTF8.GetString(buffer, 0, Math.Min(read.Count, Math.Max(0, 4096 - stderr.Length))));
                continue;
            }
            stdout.Write(buffer, 0, (int)Math.Clamp(max - stdout.Length, 0, read.Count));
        }
        return (stdout.ToArray(), stderr.ToString());
    }
}
