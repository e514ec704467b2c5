namespace Classcloud.Bench.Runner;

/// <summary>One thing a virtual user does repeatedly; one call is one counted operation.</summary>
internal sealed record Scenario<TUser>(string Name, string Description, Func<TUser, CancellationToken, Task> Operation);

/// <summary>The medians of one scenario's rounds, and how they compare to the baseline of the same run.</summary>
internal sealed record ScenarioSummary(
    string Group, string Scenario, string Description, bool IsBaseline,
    double PerSecond, double P50Ms, double P99Ms, int Errors, int Operations,
    double PerSecondVsBaseline, double P50VsBaseline, string? FirstError, IReadOnlyList<RoundResult> Rounds);

/// <summary>
/// Runs a list of scenarios against one host: a warm-up of each, then R rounds in which every
/// scenario runs once in turn. Interleaving the rounds spreads the noise of a shared machine over
/// the baseline and the measured scenarios alike; each figure is the median of its rounds.
/// The first scenario is the baseline.
/// </summary>
internal static class ScenarioRounds
{
    public static async Task<IReadOnlyList<ScenarioSummary>> RunAsync<TUser>(
        string group, IReadOnlyList<TUser> users, IReadOnlyList<Scenario<TUser>> scenarios, BenchOptions options, CancellationToken ct)
    {
        if (options.Warmup > TimeSpan.Zero)
        {
            foreach (var scenario in scenarios)
            {
                Progress($"{group}: warming up {scenario.Name} ({options.Warmup.TotalSeconds:0} s)");
                await LoadRunner.RunAsync(users, scenario.Operation, options.Warmup, ct);
            }
        }

        var rounds = scenarios.ToDictionary(s => s.Name, _ => new List<RoundResult>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var scenario in scenarios)
            {
                var result = await LoadRunner.RunAsync(users, scenario.Operation, options.Duration, ct);
                rounds[scenario.Name].Add(result);
                Progress($"{group}: round {round}/{options.Rounds} {scenario.Name}: {result.PerSecond:0} ops/s, " +
                    $"p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, {result.Errors} errors" +
                    (result.FirstError is null ? "" : $" (first: {result.FirstError})"));
            }
        }

        var baseline = Summarize(rounds[scenarios[0].Name]);
        return scenarios.Select((s, i) =>
        {
            var r = rounds[s.Name];
            var (perSecond, p50, p99) = Summarize(r);
            return new ScenarioSummary(group, s.Name, s.Description, i == 0, perSecond, p50, p99,
                r.Sum(x => x.Errors), r.Sum(x => x.Operations),
                Ratio(perSecond, baseline.PerSecond), Ratio(p50, baseline.P50), r.Select(x => x.FirstError).FirstOrDefault(e => e is not null), r);
        }).ToList();
    }

    static (double PerSecond, double P50, double P99) Summarize(List<RoundResult> rounds) =>
        (Median(rounds.Select(r => r.PerSecond)), Median(rounds.Select(r => r.P50Ms)), Median(rounds.Select(r => r.P99Ms)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double Ratio(double value, double baseline) => baseline > 0 ? value / baseline : 0;

    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
}
