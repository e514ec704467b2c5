using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// A project's workload (kind "app"): this class writes its request on the Workload row — the revision's image,
/// desired running, stopped (at zero: the container stays, so the next start is one engine call) or removed —
/// and the <see cref="WorkloadConductor"/>, the one owner of every workload, applies it at once under the row's
/// claim, so a rollback never races a reconciler pass replacing the same container.
/// </summary>
public sealed class ProjectRuntime(
    ClasscloudDb db, IContainerPlatform platform, WorkloadConductor conductor, ProjectNames names, IOptions<ProjectsOptions> options,
    IOptions<WorkspacesOptions> workspaces, TimeProvider time)
{
    /// <summary>Runs the revision (replacing the running one); the idle scaler takes it to zero later.</summary>
    public async Task DeployAsync(Project project, ProjectRevision revision, CancellationToken ct)
    {
        project.LastRequestAt = time.GetUtcNow().UtcDateTime;
        await RequestAsync(project, revision, WorkloadStates.Running, ct);
        await conductor.ApplyAsync(names.Workload(project.Id).Value, ct);
    }

    /// <summary>Starts a project at zero (the activator): desired running, applied now.</summary>
    public async Task StartAsync(long projectId, CancellationToken ct)
    {
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
        var revision = await db.ProjectRevisions.SingleAsync(r => r.Id == project.CurrentRevisionId, ct);
        project.LastRequestAt = time.GetUtcNow().UtcDateTime;
        await RequestAsync(project, revision, WorkloadStates.Running, ct);
        await conductor.ApplyAsync(names.Workload(projectId).Value, ct);
    }

    /// <summary>Scales to zero: desired stopped, applied now (the container stays, for a fast start).</summary>
    public async Task StopAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId).Value;
        if (await conductor.DesireAsync(id, WorkloadStates.Stopped, ct) is not null)
        {
            await conductor.ApplyAsync(id, ct);
        }
    }

    /// <summary>
    /// Runs <paramref name="replicas"/> instances of the current request (the autoscaler), applied now; false when the
    /// project is not desired running (at zero, or never deployed): a start then begins again from one instance.
    /// </summary>
    public async Task<bool> ScaleAsync(long projectId, int replicas, CancellationToken ct)
    {
        var id = names.Workload(projectId).Value;
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null || row.DesiredState != WorkloadStates.Running)
        {
            return false;
        }
        var definition = WorkloadDefinition.FromJson(row.SpecJson);
        if (definition.Replicas != replicas)
        {
            await conductor.RequestAsync(id, row.Kind, row.OwnerId, row.Tenant, definition with { Replicas = replicas }, WorkloadStates.Running, ct);
            await conductor.ApplyAsync(id, ct);
        }
        return true;
    }

    /// <summary>Desired removed: the container goes, then the row.</summary>
    public async Task RemoveAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId).Value;
        if (!platform.Features.Enabled)
        {
            // No engine on this host: nothing of this project can be running here.
            await db.Workloads.Where(w => w.Id == id).ExecuteDeleteAsync(ct);
            return;
        }
        if (await conductor.DesireAsync(id, WorkloadStates.Removed, ct) is not null)
        {
            await conductor.ApplyAsync(id, ct);
        }
    }

    /// <summary>What runs now (a read: no change).</summary>
    public Task<WorkloadStatus?> StatusAsync(long projectId, CancellationToken ct) => platform.GetAsync(names.Workload(projectId), ct);

    public async Task<bool> IsDesiredRunningAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId).Value;
        return await db.Workloads.AnyAsync(w => w.Id == id && w.DesiredState == WorkloadStates.Running, ct);
    }

    public IAsyncEnumerable<LogEntry> LogsAsync(long projectId, LogOptions logOptions, CancellationToken ct) =>
        platform.LogsAsync(names.Workload(projectId), logOptions, ct);

    /// <summary>Every start ensures the owner's network first: the engine refuses a container on a missing one.</summary>
    async Task<Workload> RequestAsync(Project project, ProjectRevision revision, string desired, CancellationToken ct)
    {
        await platform.EnsureTenantNetworkAsync(names.Tenant(project.OwnerId), workspaces.Value.AllowEgress, ct);
        var o = options.Value;
        var definition = new WorkloadDefinition
        {
            Image = revision.Image,
            Environment = new() { ["PORT"] = o.AppPort.ToString(CultureInfo.InvariantCulture) },
            SecretEnvironment = ProjectEnvironment.Read(project.EnvironmentJson),
            Resources = new WorkloadResources(o.Cpus, o.MemoryBytes, 256),
            Labels = new() { [ProjectNames.ProjectLabel] = project.Id.ToString(CultureInfo.InvariantCulture) },
        };
        return await conductor.RequestAsync(names.Workload(project.Id).Value, ProjectNames.WorkloadKind, project.OwnerId, names.Tenant(project.OwnerId),
            definition, desired, ct);
    }
}
