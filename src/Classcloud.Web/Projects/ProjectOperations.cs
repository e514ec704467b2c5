using System.IO.Compression;
using Classcloud.Platform;
using Classcloud.Web.Admin;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Projects.Deploy;
using Classcloud.Web.Projects.Serve;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects;

/// <summary>What a project's managers do to it besides editing: source, deploy, rollback, environment, scaling.</summary>
public sealed class ProjectOperations(
    ClasscloudDb db, ProjectService projects, SourceArchive sources, BuildQueue queue, ProjectRuntime runtime, AuditLog audit, ResourceQuotas quotas,
    IDataProtectionProvider protection, IOptions<ProjectsOptions> options, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    /// <summary>The form is read only after the caller is known to manage the project, under the ZIP's own size limit.</summary>
    public async Task<Outcome<SourceDto>> UploadAsync(long id, Caller caller, HttpRequest request, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var read = await Uploads.ReadAsync(request, options.Value.MaxSourceBytes, t, ct);
        if (!read.Succeeded)
        {
            return read.Problem!;
        }
        var file = read.Value!;
        await using var copy = new MemoryStream();
        await file.CopyToAsync(copy, ct);
        copy.Position = 0;
        if (sources.Check(copy) is { } problem)
        {
            return Problem.BadRequest(problem.Format, problem.Arguments);
        }
        copy.Position = 0;
        SourceDto dto;
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Read, leaveOpen: true))
        {
            var root = Templates.CommonRoot(zip);
            var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            var top = files.Select(e => e.FullName.Replace('\\', '/')[root.Length..]).Where(p => !p.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            var (template, why) = Templates.Detect(top, name =>
            {
                var entry = files.First(e => e.FullName.Replace('\\', '/')[root.Length..] == name);
                using var reader = new StreamReader(entry.Open());
                return entry.Length > 64 * 1024 ? null : reader.ReadToEnd();
            });
            dto = new SourceDto(files.Count, files.Sum(e => e.Length), template, t[why]);
        }
        await sources.SaveAsync(id, copy, ct);
        var project = opened.Value!;
        // A ZIP replaces a Git source (the webhook then refuses pushes until a repository is set again).
        (project.GitUrl, project.GitBranch, project.GitDeployKey, project.GitDeployUser) = (null, null, null, null);
        project.SourceUploadedAt = Now;
        await db.SaveChangesAsync(ct);
        return dto;
    }

    public async Task<Outcome<BuildDto>> DeployAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (opened.Value!.SourceUploadedAt is null)
        {
            return Problem.Conflict("Upload the source (a ZIP) or set a Git repository before deploying.");
        }
        if (await db.ProjectBuilds.AnyAsync(b => b.ProjectId == id && (b.Status == BuildStates.Queued || b.Status == BuildStates.Building), ct))
        {
            return Problem.Conflict("A build of this project is already running.");
        }
        // Refused before the build, not after it: a finished build that may not run would only waste the wait.
        if (await quotas.CheckProjectAsync(opened.Value.OwnerId, id, ct) is { } overQuota)
        {
            return overQuota;
        }
        var build = new ProjectBuild { ProjectId = id, RequestedById = caller.UserId, CreatedAt = Now };
        db.ProjectBuilds.Add(build);
        audit.Record("project.deploy", $"project:{id}");
        await db.SaveChangesAsync(ct);
        queue.Enqueue(build.Id);
        return new BuildDto(build.Id, build.Status, null, null, null, build.CreatedAt, null);
    }

    /// <summary>The build's log: live from this process while it runs, else from its row.</summary>
    public async Task<Outcome<(ProjectBuild Build, string? Live)>> BuildAsync(long id, long buildId, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var build = await db.ProjectBuilds.AsNoTracking().SingleOrDefaultAsync(b => b.Id == buildId && b.ProjectId == id, ct);
        return build is null ? Problem.NotFound("There is no such build.") : (build, queue.Live(buildId));
    }

    public async Task<Outcome<IReadOnlyList<RevisionDto>>> RevisionsAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var current = opened.Value!.CurrentRevisionId;
        return await db.ProjectRevisions.Where(r => r.ProjectId == id).OrderByDescending(r => r.Number)
            .Select(r => new RevisionDto(r.Number, r.Image, r.Digest, r.Template, r.Id == current, r.CreatedAt)).ToListAsync(ct);
    }

    public async Task<Outcome<ProjectDto>> RollbackAsync(long id, int number, Caller caller, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var project = opened.Value!;
        var revision = await db.ProjectRevisions.SingleOrDefaultAsync(r => r.ProjectId == id && r.Number == number, ct);
        if (revision is null)
        {
            return Problem.NotFound("There is no revision {0} (only the last {1} are kept).", number, options.Value.KeepRevisions);
        }
        project.CurrentRevisionId = revision.Id;
        project.UpdatedAt = Now;
        audit.Record("project.rollback", $"project:{id}", $"revision {number}");
        return await ApplyAsync(project, ct);
    }

    public async Task<Outcome<ProjectDto>> EnvironmentAsync(long id, Caller caller, EnvironmentRequest request, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var project = opened.Value!;
        var values = ProjectEnvironment.Read(project.EnvironmentJson);
        var protector = protection.CreateProtector(WorkloadDefinition.SecretPurpose);
        foreach (var (name, value) in request.Variables ?? [])
        {
            if (ProjectEnvironment.CheckName(name) is { } bad)
            {
                return Problem.BadRequest(t[bad] + " (" + name + ")");
            }
            if (value is null)
            {
                values.Remove(name);
            }
            else if (value.Length > ProjectEnvironment.MaxValueLength)
            {
                return Problem.BadRequest("The value of {0} is longer than {1} characters.", name, ProjectEnvironment.MaxValueLength);
            }
            else
            {
                values[name] = protector.Protect(value);
            }
        }
        if (values.Count > ProjectEnvironment.MaxVariables)
        {
            return Problem.BadRequest("A project has at most {0} variables.", ProjectEnvironment.MaxVariables);
        }
        project.EnvironmentJson = ProjectEnvironment.Write(values);
        if (project.EnvironmentJson.Length > ProjectLimits.Environment)
        {
            return Problem.BadRequest("The variables are too long together.");
        }
        project.UpdatedAt = Now;
        audit.Record("project.env", $"project:{id}", string.Join(",", (request.Variables ?? []).Keys));
        return await ApplyAsync(project, ct);
    }

    public async Task<Outcome<ProjectDto>> ScalingAsync(long id, Caller caller, ScalingRequest request, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var p = opened.Value!;
        var (min, max, target, idle) = (request.MinInstances ?? p.MinInstances, request.MaxInstances ?? p.MaxInstances,
            request.TargetConcurrency ?? p.TargetConcurrency, request.IdleMinutes ?? p.IdleMinutes);
        if (ScalingRules.Check(min, max, target, idle) is { } bad)
        {
            return bad;
        }
        (p.MinInstances, p.MaxInstances, p.TargetConcurrency, p.IdleMinutes, p.UpdatedAt) = (min, max, target, idle, Now);
        await db.SaveChangesAsync(ct);
        return await projects.DtoAsync(p, ct);
    }

    public async Task<Outcome<Project>> LogsAsync(long id, Caller caller, CancellationToken ct) => await projects.OpenAsync(id, caller, ct);

    /// <summary>Saves and, when a revision is current, runs it with the new settings.</summary>
    async Task<Outcome<ProjectDto>> ApplyAsync(Project project, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (project.CurrentRevisionId is { } current)
        {
            try
            {
                await runtime.DeployAsync(project, await db.ProjectRevisions.SingleAsync(r => r.Id == current, ct), ct);
            }
            catch (PlatformException ex)
            {
                return new Problem(StatusCodes.Status502BadGateway, "Saved, but the app could not be restarted: {0}", ex.Message);
            }
        }
        return await projects.DtoAsync(project, ct);
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;
}
