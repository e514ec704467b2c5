using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Classcloud.Bench.Runner;

/// <summary>What a benchmark hands back: its figures and the conditions they were measured under.</summary>
internal sealed record BenchmarkReport(
    string Benchmark, string Title, DateTimeOffset StartedAt, BenchSettings Settings, MachineInfo Machine,
    IReadOnlyList<ScenarioSummary> Results, IReadOnlyList<string> Notes)
{
    /// <summary>Latency series (one operation timed N times), for benchmarks that time single operations rather than throughput.</summary>
    public IReadOnlyList<LatencySummary> Latencies { get; init; } = [];

    /// <summary>Single figures (e.g. memory per workload) each next to its baseline.</summary>
    public IReadOnlyList<Figure> Figures { get; init; } = [];
}

/// <summary>One operation timed <see cref="Samples"/> times; the ratios divide by the group's baseline from the same run.</summary>
internal sealed record LatencySummary(
    string Group, string Scenario, string Description, bool IsBaseline, int Samples, int Errors,
    double P50Ms, double P95Ms, double MaxMs, double P50VsBaseline, double P95VsBaseline, string? FirstError);

/// <summary>A measured quantity with its unit, next to the baseline it is compared with (if any).</summary>
internal sealed record Figure(string Group, string Name, double Value, string Unit, double? Baseline, string? BaselineName, string Description);

internal sealed record BenchSettings(int Clients, double DurationSeconds, double WarmupSeconds, int Rounds, IReadOnlyList<string> Providers);

internal sealed record MachineInfo(int Cores, string Os, string Runtime, string Host, string? LoadAverageAtStart)
{
    public string? LoadAverageAtEnd { get; init; }

    public static MachineInfo Current(string hostDll) =>
        new(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            Path.GetRelativePath(RepoPaths.FindRoot(), hostDll), LoadAverage());

    /// <summary>The 1/5/15-minute load averages: on a shared machine, a hint of how much else was running.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Writes a report as a Markdown table (stdout and a .md file) and as JSON.</summary>
internal static class Report
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,  // a file, never HTML
    };

    public static string Markdown(BenchmarkReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var s = report.Settings;
        var md = new StringBuilder();
        md.AppendLine(c, $"# {report.Title}");
        md.AppendLine();
        md.AppendLine(report.Results.Count > 0
            ? string.Create(c, $"Run {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · {s.Clients} concurrent clients · " +
              $"{s.Rounds} rounds × {s.DurationSeconds:0} s per scenario after a {s.WarmupSeconds:0} s warm-up · every figure is the median of the rounds")
            : string.Create(c, $"Run {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · latency series of {s.Rounds} timed operations each (p50/p95 over them)"));
        var m = report.Machine;
        md.AppendLine(c, $"Machine: {m.Cores} cores, {m.Os}, {m.Runtime}, load average {m.LoadAverageAtStart ?? "unknown"} at the start and {m.LoadAverageAtEnd ?? "unknown"} at the end; the load generator runs on the same machine as the host.");
        md.AppendLine();
        if (report.Results.Count > 0)
        {
            md.AppendLine("| provider | scenario | ops/s | p50 ms | p99 ms | errors | ops/s vs baseline | p50 vs baseline |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var r in report.Results)
            {
                var name = r.IsBaseline ? $"{r.Scenario} (baseline)" : r.Scenario;
                md.AppendLine(c, $"| {r.Group} | {name} | {r.PerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} | " +
                    $"{r.PerSecondVsBaseline:0.000}× | {r.P50VsBaseline:0.0}× |");
            }
            md.AppendLine();
        }
        if (report.Latencies.Count > 0)
        {
            md.AppendLine("| group | operation | samples | p50 ms | p95 ms | max ms | errors | p50 vs baseline | p95 vs baseline |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in report.Latencies)
            {
                var name = r.IsBaseline ? $"{r.Scenario} (baseline)" : r.Scenario;
                md.AppendLine(c, $"| {r.Group} | {name} | {r.Samples} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.MaxMs:0.0} | {r.Errors} | {r.P50VsBaseline:0.00}× | {r.P95VsBaseline:0.00}× |");
            }
            md.AppendLine();
        }
        if (report.Figures.Count > 0)
        {
            md.AppendLine("| group | figure | value | baseline | ratio |");
            md.AppendLine("|---|---|---:|---:|---:|");
            foreach (var f in report.Figures)
            {
                var baseline = f.Baseline is { } b ? string.Create(c, $"{b:0.0} {f.Unit} ({f.BaselineName})") : "—";
                var ratio = f.Baseline is { } d && d != 0 ? string.Create(c, $"{f.Value / d:0.00}×") : "—";
                md.AppendLine(c, $"| {f.Group} | {f.Name} | {f.Value:0.0} {f.Unit} | {baseline} | {ratio} |");
            }
            md.AppendLine();
        }
        foreach (var r in report.Results.DistinctBy(r => r.Scenario))
        {
            md.AppendLine(c, $"- `{r.Scenario}`: {r.Description}");
        }
        foreach (var r in report.Latencies.DistinctBy(r => r.Scenario))
        {
            md.AppendLine(c, $"- `{r.Scenario}`: {r.Description}");
        }
        foreach (var f in report.Figures.DistinctBy(f => f.Name))
        {
            md.AppendLine(c, $"- `{f.Name}`: {f.Description}");
        }
        foreach (var note in report.Notes)
        {
            md.AppendLine(c, $"- {note}");
        }
        foreach (var r in report.Results.Where(r => r.FirstError is not null))
        {
            md.AppendLine(c, $"- first error in {r.Group} {r.Scenario}: {r.FirstError}");
        }
        foreach (var r in report.Latencies.Where(r => r.FirstError is not null))
        {
            md.AppendLine(c, $"- first error in {r.Group} {r.Scenario}: {r.FirstError}");
        }
        return md.ToString();
    }

    /// <summary>Writes &lt;benchmark&gt;-&lt;yyyyMMdd-HHmmss&gt;.md and .json; returns the Markdown path.</summary>
    public static async Task<string> WriteAsync(BenchmarkReport report, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{report.Benchmark}-{report.StartedAt:yyyyMMdd-HHmmss}");
        await File.WriteAllTextAsync(stem + ".md", Markdown(report), ct);
        await using var json = File.Create(stem + ".json");
        await JsonSerializer.SerializeAsync(json, report, Json, ct);
        return stem + ".md";
    }
}
