using System.Diagnostics;
using System.Globalization;
using Classcloud.Platform;
using Classcloud.Platform.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;
using Ours = Classcloud.Platform.Docker.DockerClient;

// Our Docker Engine client against Docker.DotNet.Enhanced on the same engine in the same run:
// GET /containers/json and GET /containers/{id}/json, one call after another, the two clients
// taking turns each round so that a busy neighbour slows both alike. Prints the median and p90
// per call; only the ratio between the two columns is comparable between runs.
var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
var ct = CancellationToken.None;

using var ours = new Ours(new DockerOptions { Endpoint = endpoint });
using var theirs = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).WithApiVersion(new System.Version(1, 41)).Build();

var containers = await ours.GetJsonAsync("containers/json?all=1", DockerJson.Default.ListContainerSummary, ct);
if (containers.Count == 0)
{
    Console.Error.WriteLine("The engine has no container to inspect; start one (e.g. docker run -d --name bench busybox sleep 600).");
    return 1;
}
var id = containers[0].Id;

var operations = new (string Name, Func<Task> Ours, Func<Task> Theirs)[]
{
    ("GET /containers/json?all=1",
        () => ours.GetJsonAsync("containers/json?all=1", DockerJson.Default.ListContainerSummary, ct),
        () => theirs.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct)),
    ("GET /containers/{id}/json",
        () => ours.GetJsonAsync($"containers/{id}/json", DockerJson.Default.ContainerInspect, ct),
        () => theirs.Containers.InspectContainerAsync(id, ct)),
};

Console.WriteLine($"engine {endpoint}, {containers.Count} containers, {calls} calls x {rounds} rounds per client and operation");
Console.WriteLine($"{"operation",-28} {"ours median",12} {"ours p90",10} {"D.D.E median",13} {"D.D.E p90",10}");
foreach (var (name, ourCall, theirCall) in operations)
{
    await RunAsync(ourCall, 20);  // warm-up: connections, JIT
    await RunAsync(theirCall, 20);
    var ourTimes = new List<double>();
    var theirTimes = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        ourTimes.AddRange(await RunAsync(ourCall, calls));
        theirTimes.AddRange(await RunAsync(theirCall, calls));
    }
    Console.WriteLine($"{name,-28} {Ms(ourTimes, 0.5),12} {Ms(ourTimes, 0.9),10} {Ms(theirTimes, 0.5),13} {Ms(theirTimes, 0.9),10}");
}
return 0;

static async Task<List<double>> RunAsync(Func<Task> call, int count)
{
    var times = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await call();
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return times;
}

static string Ms(List<double> times, double quantile)
{
    var sorted = times.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(quantile * sorted.Count))].ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
