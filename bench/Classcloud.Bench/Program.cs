using Classcloud.Bench.Accounts;
using Classcloud.Bench.Assignments;
using Classcloud.Bench.Courses;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Bench.Workspaces;

// Benchmarks against the real host started as a process (bench/README.md). Everything goes to 127.0.0.1.
IBenchmark[] benchmarks = [new AccountsBenchmark(), new CoursesBenchmark(), new PlatformBenchmark(), new WorkspacesBenchmark(), new SimilarityBenchmark(), new AssignmentsBenchmark()];

if (args is ["--help" or "-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    Console.WriteLine($"benchmarks: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 0;
}
var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"bench: {error}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
var benchmark = benchmarks.FirstOrDefault(b => b.Name == options.Benchmark);
if (benchmark is null)
{
    Console.Error.WriteLine($"bench: no benchmark '{options.Benchmark}'; there are: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

var root = RepoPaths.FindRoot();
var hostDll = options.HostDll ?? Path.Combine(root, "src", "Classcloud.Web", "bin", "Release", "net10.0", "Classcloud.Web.dll");
var output = options.OutputDirectory ?? Path.Combine(root, "bench", "results");

// Ctrl+C stops the run; the hosts and databases are still cleaned up by the using blocks.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    var report = await benchmark.RunAsync(options, hostDll, stop.Token);
    var path = await Report.WriteAsync(report, output, CancellationToken.None);
    Console.WriteLine(Report.Markdown(report));
    Console.Error.WriteLine($"bench: written {path} and {Path.ChangeExtension(path, ".json")}");
    return report.Results.Any(r => r.Errors > 0) || report.Latencies.Any(l => l.Errors > 0) ? 1 : 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: stopped");
    return 130;
}
