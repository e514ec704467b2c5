using System.Globalization;
using Classcloud.Web.Accounts;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Projects;
using Classcloud.Web.Workloads.Pages;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin.Quotas;

/// <summary>One running thing a user's quota counts: a workspace or a project, with its CPU and memory limits.</summary>
public sealed record QuotaItem(string Kind, long Id, string Name, double Cpus, long MemoryBytes);

/// <summary>What a user runs against their quota (a limit of 0: none; <see cref="Exempt"/>: an administrator left out).</summary>
public sealed record QuotaUseDto(double Cpus, long MemoryBytes, double CpuQuota, long MemoryQuotaBytes, bool Exempt, IReadOnlyList<QuotaItem> Running);

/// <summary>
/// The per-user CPU and memory quota (issue 16): the limits (ceilings) of everything a user runs — workspaces
/// that run, start, restart or are suspended (a paused container keeps its memory), and projects desired running —
/// may not add up past the administrator's setting. A start that would cross it is refused before anything is
/// queued, naming the quota and what runs, so the person knows what to stop. Graders are not counted: they are
/// the platform's short runs at a deadline, not something a student can choose to stop.
/// </summary>
public sealed class ResourceQuotas(ClasscloudDb db, SettingsService settings, IOptions<WorkspacesOptions> workspaces, IOptions<ProjectsOptions> projects,
    QuotaHolds holds, IStringLocalizer<SharedResource> t)
{
    /// <summary>
    /// Holds <paramref name="ownerId"/>'s quota until disposed: take it before the check and keep it until the start is
    /// written, so simultaneous starts are decided one after the other (<see cref="QuotaHolds"/>). Null: not had in time.
    /// </summary>
    public Task<IAsyncDisposable?> HoldAsync(long ownerId, CancellationToken ct) => holds.HoldAsync(ownerId, ct);

    /// <summary>What <paramref name="ownerId"/> runs now, leaving out <paramref name="exceptWorkspace"/> and <paramref name="exceptProject"/> (the one asked for).</summary>
    public async Task<QuotaUseDto> UseAsync(long ownerId, CancellationToken ct, long? exceptWorkspace = null, long? exceptProject = null)
    {
        var s = await settings.GetAsync(ct);
        var isAdmin = await db.Users.AnyAsync(u => u.Id == ownerId && u.Role == AccountRole.Admin, ct);
        var items = new List<QuotaItem>();
        var ws = workspaces.Value;
        var running = await db.Workspaces.AsNoTracking()
            .Where(w => w.OwnerId == ownerId && w.Id != exceptWorkspace && !w.Deleting
                && (w.State == WorkspaceState.Running || w.State == WorkspaceState.Starting || w.State == WorkspaceState.Restarting
                    || w.State == WorkspaceState.Suspended || (w.State == WorkspaceState.Creating && w.QueuedAt != null)))
            .OrderBy(w => w.Id).Select(w => new { w.Id, w.Name }).ToListAsync(ct);
        items.AddRange(running.Select(w => new QuotaItem("workspace", w.Id, w.Name, ws.Cpus, ws.MemoryBytes)));
        var apps = await db.Workloads.AsNoTracking()
            .Where(w => w.OwnerId == ownerId && w.Kind == ProjectNames.WorkloadKind && w.DesiredState == WorkloadStates.Running)
            .Select(w => w.SpecJson).ToListAsync(ct);
        var names = await db.Projects.AsNoTracking().Where(p => p.OwnerId == ownerId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        foreach (var json in apps)
        {
            WorkloadDefinition definition;
            try
            {
                definition = WorkloadDefinition.FromJson(json);
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // an unreadable spec runs nothing the engine could be asked for either
            }
            var id = definition.Labels.TryGetValue(ProjectNames.ProjectLabel, out var label) && long.TryParse(label, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            if (id == exceptProject)
            {
                continue;
            }
            var replicas = Math.Max(1, definition.Replicas);
            items.Add(new QuotaItem("project", id, names.GetValueOrDefault(id, "?"), replicas * (definition.Resources.Cpus ?? 0),
                replicas * (definition.Resources.MemoryBytes ?? 0)));
        }
        return new QuotaUseDto(items.Sum(i => i.Cpus), items.Sum(i => i.MemoryBytes), s.UserCpuQuota, s.UserMemoryQuotaBytes,
            isAdmin && s.QuotaExemptAdmins, items);
    }

    /// <summary>Null when starting workspace <paramref name="workspaceId"/> of <paramref name="ownerId"/> fits the owner's quota; else why not.</summary>
    public async Task<Problem?> CheckWorkspaceAsync(long ownerId, long workspaceId, CancellationToken ct) =>
        Check(await UseAsync(ownerId, ct, exceptWorkspace: workspaceId), workspaces.Value.Cpus, workspaces.Value.MemoryBytes);

    /// <summary>Null when running project <paramref name="projectId"/> (one instance) fits its owner's quota; else why not.</summary>
    public async Task<Problem?> CheckProjectAsync(long ownerId, long projectId, CancellationToken ct) =>
        Check(await UseAsync(ownerId, ct, exceptProject: projectId), projects.Value.Cpus, projects.Value.MemoryBytes);

    Problem? Check(QuotaUseDto use, double cpus, long memory)
    {
        if (use.Exempt)
        {
            return null;
        }
        var cpuOver = use.CpuQuota > 0 && use.Cpus + cpus > use.CpuQuota + 1e-9;
        var memoryOver = use.MemoryQuotaBytes > 0 && use.MemoryBytes + memory > use.MemoryQuotaBytes;
        if (!cpuOver && !memoryOver)
        {
            return null;
        }
        var quota = cpuOver
            ? t["your CPU quota of {0} cores ({1} in use, this needs {2})", Cores(use.CpuQuota), Cores(use.Cpus), Cores(cpus)].Value
            : t["your memory quota of {0} ({1} in use, this needs {2})", WorkloadFormat.Bytes(use.MemoryQuotaBytes), WorkloadFormat.Bytes(use.MemoryBytes),
                WorkloadFormat.Bytes(memory)].Value;
        var runs = use.Running.Count == 0 ? t["nothing else"].Value
            : string.Join(", ", use.Running.Select(i => (i.Kind == "project" ? t["project “{0}”", i.Name] : t["workspace “{0}”", i.Name]).Value));
        return Problem.Conflict("Starting this would go over {0}. Running now: {1}. Stop one of them first.", quota, runs);
    }

    static string Cores(double cores) => cores.ToString("0.##", CultureInfo.InvariantCulture);
}
