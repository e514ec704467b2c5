using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// Scale to zero: on the leading controller, a project with no request for its idle window (and no minimum
/// instance, and no request in flight here) is stopped. Its container stays, so the next request's start is
/// a single engine call (the activator's).
/// </summary>
public sealed class IdleScaler(
    IServiceScopeFactory scopes, IServiceProvider services, AppActivator activator, IOptions<ProjectsOptions> options, TimeProvider time,
    ILogger<IdleScaler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.IdleCheckInterval, time, stoppingToken);
            if (services.GetService<ControllerState>() is not { IsLeader: true })
            {
                continue;
            }
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is PlatformException or DbUpdateException)
            {
                log.LogWarning(ex, "Idle scaling pass failed");
            }
        }
    }

    public async Task PassAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var runtime = scope.ServiceProvider.GetRequiredService<ProjectRuntime>();
        var names = scope.ServiceProvider.GetRequiredService<ProjectNames>();
        var now = time.GetUtcNow().UtcDateTime;
        var running = await db.Workloads.Where(w => w.Kind == ProjectNames.WorkloadKind && w.DesiredState == WorkloadStates.Running)
            .Select(w => w.Id).ToListAsync(ct);
        var candidates = await db.Projects.AsNoTracking().Where(p => p.CurrentRevisionId != null && p.MinInstances == 0).ToListAsync(ct);
        foreach (var project in candidates.Where(p => running.Contains(names.Workload(p.Id).Value)))
        {
            var window = options.Value.IdleWindowOverride ?? TimeSpan.FromMinutes(project.IdleMinutes);
            if (activator.Busy(project.Id) || now - (project.LastRequestAt ?? DateTime.MinValue) < window)
            {
                continue;
            }
            log.LogInformation("Project {Project} idle since {Last}: scaling to zero", project.Id, project.LastRequestAt);
            activator.Forget(project.Id);
            await runtime.StopAsync(project.Id, ct);
        }
    }
}
