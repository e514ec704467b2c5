using System.Text;

namespace Classcloud.Platform;

/// <summary>
/// What every driver's <see cref="IContainerPlatform.RunAsync"/> and exec entry share: the user check,
/// writing the input while the output is read, the output caps, and waiting for the exit code.
/// </summary>
internal static class ExecRun
{
    /// <summary>Throws for a user that is not a numeric non-root uid (or uid:gid); null means the workload's own.</summary>
    public static void CheckUser(ExecRequest request)
    {
        if (request.User is not null && !SecurityDefaults.TryParseUser(request.User, out _))
        {
            throw new ArgumentException($"Exec user '{request.User}' must be a numeric uid or uid:gid other than 0.", nameof(request));
        }
    }

    /// <summary>Feeds <see cref="ExecRequest.Input"/>, collects both outputs up to the cap, and returns the exit code.</summary>
    public static async Task<ExecResult> CompleteAsync(IStreamSession session, WorkloadId id, ExecRequest request, TimeProvider time, CancellationToken ct)
    {
        // Read while writing: a process that answers before it has read all its input must not block us.
        var output = CollectAsync(session, request.MaxOutputBytes, ct);
        if (request.Input is { } input)
        {
            await session.WriteAsync(input, ct);
            await session.CloseInputAsync(ct);
        }
        var (stdout, stderr, truncated) = await output;
        return new ExecResult(await session.ExitCodeAsync(id.Value, time, ct), stdout, stderr, truncated);
    }

    static async Task<(string Stdout, string Stderr, bool Truncated)> CollectAsync(IStreamSession session, int max, CancellationToken ct)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var truncated = false;
        var buffer = new byte[16 * 1024];
        while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
        {
            var target = read.Stream == OutputStream.Stderr ? stderr : stdout;
            var room = (int)Math.Max(0, max - target.Length);
            target.Write(buffer, 0, Math.Min(room, read.Count));
            truncated |= read.Count > room;
        }
        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), truncated);
    }
}
