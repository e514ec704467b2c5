namespace Classcloud.Platform;

/// <summary>What every caller that drives an <see cref="IStreamSession"/> to its end shares.</summary>
public static class StreamSessionExtensions
{
    /// <summary>
    /// The exit code of a process whose output has closed. The output closes as the process ends, but an engine may
    /// record the exit code a moment later: asked again with a doubling pause from 5 ms, for about 4 s in all. The
    /// <c>where</c> argument names the process's place in the error (e.g. the workload id).
    /// </summary>
    public static async Task<int> ExitCodeAsync(this IStreamSession session, string where, TimeProvider time, CancellationToken ct)
    {
        for (var delay = TimeSpan.FromMilliseconds(5); ; delay *= 2)
        {
            if (await session.GetExitCodeAsync(ct) is { } code)
            {
                return code;
            }
            if (delay > TimeSpan.FromSeconds(2))
            {
                throw new PlatformException($"The process in {where} closed its output but no exit code was reported.");
            }
            await Task.Delay(delay, time, ct);
        }
    }
}
