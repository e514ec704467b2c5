namespace Classcloud.Bench.Runner;

/// <summary>A named benchmark the runner can start: `bench/run.sh &lt;name&gt;`.</summary>
internal interface IBenchmark
{
    string Name { get; }

    Task<BenchmarkReport> RunAsync(BenchOptions options, string hostDll, CancellationToken ct);
}
