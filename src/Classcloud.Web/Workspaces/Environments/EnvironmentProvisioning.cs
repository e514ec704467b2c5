using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Making course workspaces from an environment: one on a member's click, or one for every member ("provision automatically").</summary>
public sealed class EnvironmentProvisioning(ClasscloudDb db, WorkspaceAdder workspaces, AuditLog audit, TimeProvider time, ILogger<EnvironmentProvisioning> log)
{
    /// <summary>
    /// Makes the environment's workspace for every accepted student who has none from it yet; a member the
    /// quota stops gets a note (shown to them and to the educators) and is tried again on the next pass.
    /// A workspace the student deleted is not made again.
    /// </summary>
    public async Task ProvisionAsync(CourseEnvironment environment, CancellationToken ct)
    {
        var members = await db.Enrolments.Where(e => e.CourseId == environment.CourseId && e.Status == EnrolmentStatus.Accepted)
            .Select(e => e.UserId).ToListAsync(ct);
        var done = await db.CourseProvisions.Where(p => p.EnvironmentId == environment.Id).ToListAsync(ct);
        foreach (var userId in members)
        {
            var row = done.SingleOrDefault(p => p.UserId == userId);
            if (row is not null && (row.WorkspaceId is not null || row.Note is null))
            {
                continue;
            }
            if (row is null)
            {
                row = new CourseProvision { EnvironmentId = environment.Id, UserId = userId };
                db.CourseProvisions.Add(row);
            }
            var created = await AddWorkspaceAsync(environment, new Caller(userId, IsAdmin: false), start: false, ct);
            (row.WorkspaceId, row.Note) = created.Succeeded ? (created.Value!.Id, null) : ((long?)null, created.Problem!.Detail);
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            if (!created.Succeeded)
            {
                log.LogInformation("No workspace of environment {Environment} for user {User}: {Note}", environment.Id, userId, row.Note);
            }
        }
    }

    /// <summary>A pass over every environment set to provision automatically (new members, quota freed).</summary>
    public async Task ProvisionAllAsync(CancellationToken ct)
    {
        foreach (var environment in await db.CourseEnvironments.Where(e => e.ProvisionAutomatically).OrderBy(e => e.Id).ToListAsync(ct))
        {
            await ProvisionAsync(environment, ct);
        }
    }

    /// <summary>A private course workspace for <paramref name="caller"/> from the environment, from its warm pool when it has one.</summary>
    public async Task<Outcome<CreatedWorkspaceDto>> AddWorkspaceAsync(CourseEnvironment environment, Caller caller, bool start, CancellationToken ct)
    {
        var snapshot = await db.WorkspaceSnapshots.SingleAsync(s => s.Id == environment.SnapshotId, ct);
        var created = await workspaces.AddAsync(caller, environment.Name, environment.Description, environment.Kind, "private", "view",
            environment.CourseId, snapshot.Image, snapshot.Id, WarmPool.Key(environment.Id), start, ct);
        if (created.Succeeded)
        {
            audit.Record("course.environment.workspace", $"workspace:{created.Value!.Id}", $"environment {environment.Id}", actorId: caller.UserId);
            await db.SaveChangesAsync(ct);
        }
        return created;
    }
}
