using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Stores a new workspace row for every way one is made (the create form and API, a course environment, a
/// loaded share key) and hands it on: a running container from the warm pool, or a create job.
/// </summary>
public sealed class WorkspaceAdder(ClasscloudDb db, WorkspaceAllowance allowance, WorkspaceHandOff handOff, VncPasswords vnc, AuditLog audit, TimeProvider time)
{
    /// <summary>
    /// Stores a new workspace (after the quota check) and either hands it a running container from warm pool
    /// <paramref name="warmPool"/> (then it is running at once) or queues making its container. With
    /// <paramref name="start"/> the workspace joins the capacity queue as soon as its container exists.
    /// </summary>
    internal Task<Outcome<CreatedWorkspaceDto>> AddAsync(Caller caller, string name, string? description, WorkspaceKind kind,
        string? visibility, string? guests, long? courseId, string image, long? snapshotId, string? warmPool, bool start, CancellationToken ct) =>
        AddAsync(caller, name, description, kind, visibility, guests, courseId, image, snapshotId, warmPool, start, size: null, ct);

    /// <summary>As above, in <paramref name="size"/> (null: the standard ceilings).</summary>
    internal async Task<Outcome<CreatedWorkspaceDto>> AddAsync(Caller caller, string name, string? description, WorkspaceKind kind,
        string? visibility, string? guests, long? courseId, string image, long? snapshotId, string? warmPool, bool start, string? size, CancellationToken ct)
    {
        // Held until the row is written: a simultaneous create or start of the same person is decided after this one.
        await using var hold = await allowance.HoldAsync(caller.UserId, ct);
        if (hold is null)
        {
            return WorkspaceProblems.Busy;
        }
        var allowed = await allowance.CheckAsync(caller, start, ct);
        if (!allowed.Succeeded)
        {
            return allowed.Problem!;
        }
        if (!allowed.Value)
        {
            warmPool = null; // a warm-pool container runs at once: over the quota the workspace is made stopped instead
        }
        var now = time.GetUtcNow().UtcDateTime;
        var workspace = new Workspace
        {
            OwnerId = caller.UserId,
            Name = name.Trim(),
            Description = description?.Trim() ?? "",
            Kind = kind,
            Visibility = WorkspaceWords.Visibility(visibility ?? "private")!.Value,
            GuestAccess = WorkspaceWords.Guests(guests ?? "view")!.Value,
            CourseId = courseId,
            State = WorkspaceState.Creating,
            JobHolder = handOff.Holder,
            Image = image,
            SnapshotId = snapshotId,
            Size = size,
            VncPasswordProtected = vnc.NewProtected(),
            // Set while creating, QueuedAt means "start once created" (the create job moves it to the queue, keeping
            // its place from this moment); a container from the warm pool runs already and clears it.
            QueuedAt = start ? now : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        audit.Record("workspace.create", $"workspace:{workspace.Id}", workspace.Name);
        await db.SaveChangesAsync(ct);
        // From the pool: running already; the create job then finishes the hand-over (the owner's network).
        // Otherwise the create job makes the container.
        if (warmPool is not null)
        {
            await handOff.FromWarmPoolAsync(workspace, warmPool, ct);
        }
        handOff.Send(workspace.Id, WorkspaceJobKind.Create);
        return new CreatedWorkspaceDto(workspace.Id, WorkspaceLifecycle.Word(workspace.State));
    }
}
