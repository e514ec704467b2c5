using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Controller;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// The one place where a project's workload meets the engine (until the workload conductor of issue 11 lands,
/// when these calls become its RequestAsync/DesireAsync/ApplyAsync). The Workload row (kind "app") is written
/// first, so the reconciler agrees with what this class does: at zero the container exists but is stopped,
/// which makes the next start one engine call.
/// </summary>
public sealed class ProjectRuntime(
    ClasscloudDb db, IServiceProvider services, ProjectNames names, IOptions<ProjectsOptions> options, IOptions<WorkspacesOptions> workspaces,
    IDataProtectionProvider protection, ReconcilerWake reconciler, TimeProvider time)
{
    IContainerPlatform Platform => services.GetService<IContainerPlatform>()
        ?? throw new PlatformUnavailableException("The container platform is not enabled on this host (Classcloud:Platform:Enabled).");

    /// <summary>Runs the revision (replacing the running one); the idle scaler takes it to zero later.</summary>
    public async Task DeployAsync(Project project, ProjectRevision revision, CancellationToken ct)
    {
        await Platform.EnsureTenantNetworkAsync(names.Tenant(project.OwnerId), workspaces.Value.AllowEgress, ct);
        project.LastRequestAt = time.GetUtcNow().UtcDateTime;
        var spec = await WriteRowAsync(project, revision, WorkloadStates.Running, ct);
        await EngineAsync(spec.Id, () => Platform.EnsureAsync(spec, ct), ct);
    }

    /// <summary>Starts a project at zero (the activator): desired running, then the engine.</summary>
    public async Task StartAsync(long projectId, CancellationToken ct)
    {
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
        var revision = await db.ProjectRevisions.SingleAsync(r => r.Id == project.CurrentRevisionId, ct);
        project.LastRequestAt = time.GetUtcNow().UtcDateTime;
        var spec = await WriteRowAsync(project, revision, WorkloadStates.Running, ct);
        await EngineAsync(spec.Id, () => Platform.EnsureAsync(spec, ct), ct);
    }

    /// <summary>Scales to zero: desired stopped, then the engine stops the container (it stays, for a fast start).</summary>
    public async Task StopAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId);
        var changed = await db.Workloads.Where(w => w.Id == id.Value)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.DesiredState, WorkloadStates.Stopped).SetProperty(w => w.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
        if (changed > 0)
        {
            await EngineAsync(id, () => Platform.StopAsync(id, ct), ct);
        }
    }

    /// <summary>The row goes first (so the reconciler does not bring it back), then the container.</summary>
    public async Task RemoveAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId);
        await db.Workloads.Where(w => w.Id == id.Value).ExecuteDeleteAsync(ct);
        try
        {
            await Platform.RemoveAsync(id, ct);
        }
        catch (PlatformUnavailableException)
        {
            // No engine on this host (or a disabled platform): nothing of this project can be running here.
        }
    }

    /// <summary>What runs now (a read: no change).</summary>
    public Task<WorkloadStatus?> StatusAsync(long projectId, CancellationToken ct) => Platform.GetAsync(names.Workload(projectId), ct);

    public async Task<bool> IsDesiredRunningAsync(long projectId, CancellationToken ct)
    {
        var id = names.Workload(projectId).Value;
        return await db.Workloads.AnyAsync(w => w.Id == id && w.DesiredState == WorkloadStates.Running, ct);
    }

    public IAsyncEnumerable<LogEntry> LogsAsync(long projectId, LogOptions logOptions, CancellationToken ct) =>
        Platform.LogsAsync(names.Workload(projectId), logOptions, ct);

    /// <summary>
    /// One engine call with this host's reconciler held off the workload, retried when the engine is still busy
    /// with it (a reconciler pass already under way replacing the same container). The conductor's claim on the
    /// row (issue 11) replaces both.
    /// </summary>
    async Task EngineAsync(WorkloadId id, Func<Task> call, CancellationToken ct)
    {
        using var hold = reconciler.Hold(id.Value);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (PlatformConflictException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt), ct);
            }
        }
    }

    async Task<WorkloadSpec> WriteRowAsync(Project project, ProjectRevision revision, string desired, CancellationToken ct)
    {
        var o = options.Value;
        var definition = new WorkloadDefinition
        {
            Image = revision.Image,
            Environment = new() { ["PORT"] = o.AppPort.ToString(CultureInfo.InvariantCulture) },
            SecretEnvironment = ProjectEnvironment.Read(project.EnvironmentJson),
            Resources = new WorkloadResources(o.Cpus, o.MemoryBytes, 256),
            Labels = new() { [ProjectNames.ProjectLabel] = project.Id.ToString(CultureInfo.InvariantCulture) },
        };
        var id = names.Workload(project.Id).Value;
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            row = new Workload { Id = id, CreatedAt = now };
            db.Workloads.Add(row);
        }
        row.Kind = ProjectNames.WorkloadKind;
        row.OwnerId = project.OwnerId;
        row.Tenant = names.Tenant(project.OwnerId);
        row.SpecJson = definition.ToJson();
        row.DesiredState = desired;
        row.UpdatedAt = now;
        row.NextRetryAt = null;
        row.CrashLoop = false;
        row.WindowRestarts = 0;
        await db.SaveChangesAsync(ct);
        return definition.ToSpec(row, names.Scope, protection.CreateProtector(WorkloadDefinition.SecretPurpose));
    }
}
