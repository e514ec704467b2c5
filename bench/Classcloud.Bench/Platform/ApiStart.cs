using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Bench.Runner;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Bench.Platform;

/// <summary>
/// "API call → container running" through a real host process: the console's
/// <c>POST /api/v1/admin/workloads/{id}/start</c> on a stopped workload (the controller starts it),
/// next to bare <c>docker start</c> of a stopped container, interleaved per sample.
/// </summary>
internal static class ApiStart
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Exits at once on SIGTERM, so the stops between samples do not wait out the grace period.</summary>
    static readonly string[] Idle = ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"];

    public static async Task<IReadOnlyList<LatencySummary>> RunAsync(PlatformRun context, BenchOptions options, string hostDll, int samples, CancellationToken ct)
    {
        var bare = new LatencySeries("api", "docker-start-stopped", "`docker start` of a stopped container (the baseline of this group)");
        var api = new LatencySeries("api", "api-start", "`POST /api/v1/admin/workloads/{id}/start` on a stopped workload until the engine reports it running (the controller starts it)");
        var settings = new Dictionary<string, string>
        {
            ["Classcloud__Platform__Enabled"] = "true",
            ["Classcloud__Controller__Scope"] = $"bench-{context.Run}",
            ["Classcloud__Monitoring__Enabled"] = "false",
        };
        var id = $"b-{context.Run}-api";
        try
        {
            await using var host = await ProviderHost.StartAsync("sqlite", options, hostDll, settings, ct);
            using var admin = await SignInAdminAsync(host.Host, ct);
            await SeedAsync(host.DatabaseConnectionString, context, id, ct);
            var workload = new WorkloadId(id);
            await WaitAsync(context.Platform, workload, InstanceState.Running, ct);
            var bareId = (await DockerCli.RunAsync(["run", "-d", .. context.BareArgs, context.Image, .. Idle], ct)).Stdout;
            for (var i = 0; i < samples; i++)
            {
                ScenarioRounds.Progress($"api start: sample {i + 1}/{samples}");
                await DockerCli.RunAsync(["stop", "-t", "1", bareId], ct);
                var started = await DockerCli.RunAsync(["start", bareId], ct);
                if (started.Ok)
                {
                    bare.Add(started.Milliseconds);
                }
                else
                {
                    bare.Fail(started.Error);
                }

                await PostAsync(admin, $"/api/v1/admin/workloads/{id}/stop", ct);
                await WaitAsync(context.Platform, workload, InstanceState.Exited, ct);
                var clock = Stopwatch.StartNew();
                var error = await PostAsync(admin, $"/api/v1/admin/workloads/{id}/start", ct)
                    ?? await WaitAsync(context.Platform, workload, InstanceState.Running, ct);
                if (error is null)
                {
                    api.Add(clock.Elapsed.TotalMilliseconds);
                }
                else
                {
                    api.Fail(error);
                }
            }
        }
        finally
        {
            await DockerCli.RemoveLabelledAsync($"{PlatformBenchmark.BenchLabel}={context.Run}", CancellationToken.None);
        }
        return [bare.Summarize(null), api.Summarize(bare)];
    }

    /// <summary>The initial administrator (its password from the data directory), signed in with a cookie.</summary>
    internal static async Task<HttpClient> SignInAdminAsync(HostProcess host, CancellationToken ct)
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, "initial-admin-password"), ct)).Trim();
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.Address };
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "admin@localhost", password }, ct);
        return login.IsSuccessStatusCode ? client : throw new InvalidOperationException($"admin sign-in answered {(int)login.StatusCode}");
    }

    static async Task SeedAsync(string connectionString, PlatformRun context, string id, CancellationToken ct)
    {
        await using var db = new ClasscloudDb(new DbContextOptionsBuilder<ClasscloudDb>().UseSqlite(connectionString).Options);
        var now = DateTime.UtcNow;
        db.Workloads.Add(new Workload
        {
            Id = id,
            Kind = "bench",
            SpecJson = new WorkloadDefinition
            {
                Image = context.Image,
                Command = Idle,
                Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 128L * 1024 * 1024, Pids: 128),
                Labels = new Dictionary<string, string> { [PlatformBenchmark.BenchLabel] = context.Run },
            }.ToJson(),
            DesiredState = WorkloadStates.Running,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }

    static async Task<string?> PostAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null, ct);
        return response.StatusCode == HttpStatusCode.Accepted ? null : $"{path} answered {(int)response.StatusCode}";
    }

    /// <summary>Polls the engine every 5 ms: the time includes at most one poll interval.</summary>
    static async Task<string?> WaitAsync(IContainerPlatform platform, WorkloadId id, InstanceState state, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit)
        {
            var status = await platform.GetAsync(id, ct);
            if (status is { Instances: [var instance] } && instance.State == state)
            {
                return null;
            }
            await Task.Delay(5, ct);
        }
        return $"{id} not {state} after {Limit.TotalSeconds:0} s";
    }
}
