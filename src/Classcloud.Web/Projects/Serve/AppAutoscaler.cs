using System.Diagnostics;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// Scales a running project between one instance and its <c>maxInstances</c> by concurrent requests (Knative's
/// KPA, simplified): every <see cref="ProjectsOptions.AutoscaleInterval"/> it samples the requests in flight in
/// this gateway, averages them over <see cref="ProjectsOptions.ScaleWindow"/> and wants
/// ceil(average ÷ targetConcurrency) instances. More are started at once; fewer only after wanting fewer for
/// <see cref="ProjectsOptions.ScaleDownDelay"/>, and the instances leaving are drained first (no new request,
/// the ones in flight finish). Going to zero stays the idle scaler's.
/// </summary>
public sealed class AppAutoscaler(IServiceScopeFactory scopes, AppActivator activator, IOptions<ProjectsOptions> options, ILogger<AppAutoscaler> log)
    : BackgroundService
{
    readonly Dictionary<long, Load> loads = [];

    /// <summary>One project's recent samples, and since when (and how many) fewer instances have been enough.</summary>
    sealed class Load
    {
        public Queue<(long At, int InFlight)> Samples { get; } = new();
        public long? FewerSince { get; set; }
        public int FewerPeak { get; set; }
        public int Replicas { get; set; } = 1;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AutoscaleInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is PlatformException or DbUpdateException or InvalidOperationException)
            {
                log.LogWarning(ex, "Autoscaling pass failed");
            }
        }
    }

    async Task PassAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = Stopwatch.GetTimestamp();
        var busy = new Dictionary<long, double>();
        foreach (var id in activator.Projects)
        {
            var load = loads.TryGetValue(id, out var l) ? l : loads[id] = new Load();
            load.Samples.Enqueue((now, activator.InFlight(id)));
            while (load.Samples.Count > 0 && Stopwatch.GetElapsedTime(load.Samples.Peek().At, now) > o.ScaleWindow)
            {
                load.Samples.Dequeue();
            }
            var average = load.Samples.Average(s => s.InFlight);
            if (average > 0 || load.Replicas > 1)
            {
                busy[id] = average;
            }
        }
        if (busy.Count == 0)
        {
            return;
        }
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var names = scope.ServiceProvider.GetRequiredService<ProjectNames>();
        var runtime = scope.ServiceProvider.GetRequiredService<ProjectRuntime>();
        var ids = busy.Keys.ToList();
        var projects = await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.MaxInstances, p.TargetConcurrency }).ToListAsync(ct);
        var workloadIds = ids.Select(id => names.Workload(id).Value).ToList();
        var rows = await db.Workloads.AsNoTracking().Where(w => workloadIds.Contains(w.Id) && w.DesiredState == WorkloadStates.Running)
            .ToDictionaryAsync(w => w.Id, w => WorkloadDefinition.FromJson(w.SpecJson).Replicas, ct);
        foreach (var p in projects)
        {
            var load = loads[p.Id];
            if (!rows.TryGetValue(names.Workload(p.Id).Value, out var replicas))
            {
                (load.Replicas, load.FewerSince) = (1, null); // at zero: a start begins with one instance again
                continue;
            }
            load.Replicas = replicas;
            var wanted = Math.Clamp((int)Math.Ceiling(busy[p.Id] / p.TargetConcurrency), 1, Math.Max(p.MaxInstances, 1));
            if (wanted > replicas)
            {
                log.LogInformation("Project {Project}: {InFlight:0.0} requests in flight on average, scaling out from {From} to {To}", p.Id, busy[p.Id], replicas, wanted);
                load.FewerSince = null;
                await ScaleAsync(runtime, p.Id, load, wanted, ct);
            }
            else if (wanted < replicas)
            {
                load.FewerPeak = load.FewerSince is null ? wanted : Math.Max(load.FewerPeak, wanted);
                load.FewerSince ??= now;
                if (Stopwatch.GetElapsedTime(load.FewerSince.Value, now) >= o.ScaleDownDelay)
                {
                    log.LogInformation("Project {Project}: quiet for {Delay}, scaling in from {From} to {To}", p.Id, o.ScaleDownDelay, replicas, load.FewerPeak);
                    load.FewerSince = null;
                    await activator.DrainAsync(p.Id, load.FewerPeak, o.DrainTimeout, ct);
                    try
                    {
                        await ScaleAsync(runtime, p.Id, load, load.FewerPeak, ct);
                    }
                    finally
                    {
                        activator.EndDrain(p.Id);
                    }
                }
            }
            else
            {
                load.FewerSince = null;
            }
        }
    }

    static async Task ScaleAsync(ProjectRuntime runtime, long projectId, Load load, int replicas, CancellationToken ct)
    {
        if (await runtime.ScaleAsync(projectId, replicas, ct))
        {
            load.Replicas = replicas;
        }
    }
}
