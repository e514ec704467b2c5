using System.Diagnostics;

namespace Classcloud.Bench.Runner;

/// <summary>One measured run of one scenario: completed operations, failures and latencies.</summary>
internal sealed record RoundResult(int Operations, int Errors, double Seconds, double P50Ms, double P99Ms, string? FirstError)
{
    public double PerSecond => Seconds > 0 ? Operations / Seconds : 0;
}

/// <summary>
/// Closed-loop load: every virtual user runs the operation back to back until the duration is
/// over. An operation started before the end is allowed to finish (aborting it would cost a
/// reconnect in the next round), and the throughput divides by the time until the last one did.
/// </summary>
internal static class LoadRunner
{
    /// <summary>Upper bound per user and run, so a failing operation cannot spin without end.</summary>
    const int MaxOperationsPerUser = 5_000_000;

    public static async Task<RoundResult> RunAsync<TUser>(
        IReadOnlyList<TUser> users, Func<TUser, CancellationToken, Task> operation, TimeSpan duration, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = users.Select(user => Task.Run(() => LoopAsync(user, operation, end, ct), ct)).ToArray();
        var results = await Task.WhenAll(loops);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new RoundResult(
            latencies.Length,
            results.Sum(r => r.Errors),
            seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    static async Task<UserResult> LoopAsync<TUser>(TUser user, Func<TUser, CancellationToken, Task> operation, long end, CancellationToken ct)
    {
        var result = new UserResult();
        for (var i = 0; i < MaxOperationsPerUser && Stopwatch.GetTimestamp() < end; i++)
        {
            ct.ThrowIfCancellationRequested();
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                await operation(user, ct);
                result.Latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is HttpRequestException or BenchOperationException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                result.Errors++;
                result.FirstError ??= ex.Message;
            }
        }
        return result;
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when there are none.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    sealed class UserResult
    {
        public List<double> Latencies { get; } = new(4096);
        public int Errors { get; set; }
        public string? FirstError { get; set; }
    }
}

/// <summary>An operation got an answer, but not the one it expected (e.g. 401 instead of 200).</summary>
internal sealed class BenchOperationException(string message) : Exception(message);
