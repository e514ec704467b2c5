using Classcloud.Platform;
using Classcloud.Web.Admin;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Projects.Deploy;
using Classcloud.Web.Projects.Serve;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects;

/// <summary>Creating, reading, changing and deleting projects (issue 14 contract). Outsiders get 404: a project's existence is not told.</summary>
public sealed class ProjectService(
    ClasscloudDb db, ProjectRules rules, ProjectNames names, ProjectRuntime runtime, SourceArchive sources, AuditLog audit, TimeProvider time, ILogger<ProjectService> log)
{
    public async Task<Outcome<ProjectDto>> CreateAsync(Caller caller, ProjectRequest request, CancellationToken ct)
    {
        if (ProjectNames.Check(request.Name) is { } bad)
        {
            return Problem.BadRequest(bad);
        }
        var project = new Project { Name = request.Name!, OwnerId = caller.UserId, CreatedAt = Now, UpdatedAt = Now };
        if (await ApplyAsync(project, caller, request, ct) is { } problem)
        {
            return problem;
        }
        if (await db.Projects.AnyAsync(p => p.Name == project.Name, ct))
        {
            return Problem.Conflict("The name {0} is taken; choose another.", project.Name);
        }
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        audit.Record("project.create", $"project:{project.Id}", project.Name);
        await db.SaveChangesAsync(ct);
        return await DtoAsync(project, ct);
    }

    public async Task<IReadOnlyList<ProjectDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var groups = db.GroupMembers.Where(m => m.UserId == caller.UserId).Select(m => (long?)m.GroupId);
        var courses = db.Courses.Where(c => c.OwnerId == caller.UserId).Select(c => (long?)c.Id)
            .Concat(db.CoEducators.Where(e => e.UserId == caller.UserId).Select(e => (long?)e.CourseId));
        var mine = await db.Projects.Where(p => p.OwnerId == caller.UserId || groups.Contains(p.GroupId) || courses.Contains(p.CourseId))
            .OrderBy(p => p.Name).Take(500).ToListAsync(ct);
        var list = new List<ProjectDto>();
        foreach (var p in mine)
        {
            if (await rules.CanManageAsync(p, caller, ct))
            {
                list.Add(await DtoAsync(p, ct, engine: false));
            }
        }
        return list;
    }

    public async Task<Outcome<ProjectDto>> GetAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        return opened.Succeeded ? await DtoAsync(opened.Value!, ct) : opened.Problem!;
    }

    public async Task<Outcome<ProjectDto>> UpdateAsync(long id, Caller caller, ProjectRequest request, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var project = opened.Value!;
        if (request.Name is { } name && name != project.Name)
        {
            return Problem.BadRequest("A project's name is its address and cannot change; create a new project instead.");
        }
        if (await ApplyAsync(project, caller, request, ct) is { } problem)
        {
            return problem;
        }
        project.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        return await DtoAsync(project, ct);
    }

    public async Task<Problem?> DeleteAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var project = opened.Value!;
        try
        {
            await runtime.RemoveAsync(project.Id, ct);
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status502BadGateway, "The app could not be removed: {0}", ex.Message);
        }
        sources.Delete(project.Id);
        db.Projects.Remove(project);
        audit.Record("project.delete", $"project:{project.Id}", project.Name);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Project {Project} ({Name}) deleted; its registry images stay until the registry is collected", project.Id, project.Name);
        return null;
    }

    /// <summary>The project when the caller may manage it; 404 otherwise (outsiders do not learn it exists).</summary>
    public async Task<Outcome<Project>> OpenAsync(long id, Caller caller, CancellationToken ct)
    {
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, ct);
        return project is not null && await rules.CanManageAsync(project, caller, ct) ? project : Problem.NotFound("There is no such project.");
    }

    /// <summary>Access, template, group and course from a request; null when they are acceptable.</summary>
    async Task<Problem?> ApplyAsync(Project project, Caller caller, ProjectRequest request, CancellationToken ct)
    {
        var access = request.Access ?? project.Access;
        if (!ProjectAccess.All.Contains(access))
        {
            return Problem.BadRequest("Access is one of: {0}.", string.Join(", ", ProjectAccess.All));
        }
        if (request.Template is { } template && !Templates.All.Contains(template))
        {
            return Problem.BadRequest("The template is one of: {0}.", string.Join(", ", Templates.All));
        }
        if (request.GroupId is { } g && !caller.IsAdmin && !await db.GroupMembers.AnyAsync(m => m.GroupId == g && m.UserId == caller.UserId, ct))
        {
            return Problem.BadRequest("You are not a member of that group.");
        }
        if (request.CourseId is { } c && !caller.IsAdmin
            && !await db.Courses.AnyAsync(x => x.Id == c && x.OwnerId == caller.UserId, ct)
            && !await db.CoEducators.AnyAsync(e => e.CourseId == c && e.UserId == caller.UserId, ct)
            && !await db.Enrolments.AnyAsync(e => e.CourseId == c && e.UserId == caller.UserId && e.Status == EnrolmentStatus.Accepted, ct))
        {
            return Problem.BadRequest("You are not a member of that course.");
        }
        var groupId = request.GroupId ?? project.GroupId;
        var courseId = request.CourseId ?? project.CourseId;
        if ((access == ProjectAccess.Group && groupId is null) || (access == ProjectAccess.Course && courseId is null))
        {
            return Problem.BadRequest("Access {0} needs the project to belong to a {0}.", access);
        }
        (project.Access, project.Template, project.GroupId, project.CourseId) = (access, request.Template ?? project.Template, groupId, courseId);
        return null;
    }

    public async Task<ProjectDto> DtoAsync(Project p, CancellationToken ct, bool engine = true)
    {
        var revision = p.CurrentRevisionId is { } r ? await db.ProjectRevisions.Where(x => x.Id == r).Select(x => (int?)x.Number).SingleOrDefaultAsync(ct) : null;
        var build = await db.ProjectBuilds.Where(b => b.ProjectId == p.Id).OrderByDescending(b => b.Id)
            .Select(b => new BuildDto(b.Id, b.Status, b.Template, b.Explanation, b.RevisionNumber, b.CreatedAt, b.FinishedAt, b.Commit)).FirstOrDefaultAsync(ct);
        var instances = 0;
        if (engine && revision is not null)
        {
            try
            {
                instances = (await runtime.StatusAsync(p.Id, ct))?.Running ?? 0;
            }
            catch (PlatformException)
            {
                // No engine here: the project still reads; it shows no instances.
            }
        }
        return new ProjectDto(p.Id, p.Name, names.Url(p.Name), p.OwnerId, p.GroupId, p.CourseId, p.Access, p.Template,
            new ScalingDto(p.MinInstances, p.MaxInstances, p.TargetConcurrency, p.IdleMinutes),
            ProjectEnvironment.Read(p.EnvironmentJson).Keys.Order(StringComparer.Ordinal).ToList(), p.SourceUploadedAt is not null,
            revision, instances, build, p.CreatedAt, p.UpdatedAt, p.GitUrl is { } git ? new GitSourceDto(git, p.GitBranch, p.GitDeployKey is not null) : null);
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;
}
