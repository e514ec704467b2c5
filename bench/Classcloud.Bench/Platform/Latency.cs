using Classcloud.Bench.Runner;

namespace Classcloud.Bench.Platform;

/// <summary>Collects the timings of one operation and summarizes them next to a baseline series.</summary>
internal sealed class LatencySeries(string group, string scenario, string description)
{
    readonly List<double> samples = [];
    int errors;
    string? firstError;

    public string Scenario => scenario;

    public void Add(double milliseconds) => samples.Add(milliseconds);

    public void Fail(string error)
    {
        errors++;
        firstError ??= error;
    }

    public double P50 => Percentile(samples, 0.50);

    public double P95 => Percentile(samples, 0.95);

    public LatencySummary Summarize(LatencySeries? baseline) => new(
        group, scenario, description, baseline is null, samples.Count, errors, P50, P95, samples.Count > 0 ? samples.Max() : 0,
        baseline is { P50: > 0 } b ? P50 / b.P50 : 1, baseline is { P95: > 0 } c ? P95 / c.P95 : 1, firstError);

    /// <summary>Nearest-rank percentile: with 50 samples, p95 is the 48th fastest.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
