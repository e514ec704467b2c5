using System.Security.Cryptography;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The workspace use cases people call: create, read, edit, and the state changes. A state change
/// is claimed with a conditional UPDATE (so two clicks never start two jobs) and handed to the
/// <see cref="WorkspaceQueue"/>; the caller gets 202 and watches the state.
/// </summary>
public sealed class WorkspaceService(
    ClasscloudDb db, WorkspaceAccessRules rules, WorkspaceQueue queue, WorkspaceAdmission admission, SettingsService settings, AuditLog audit,
    WorkspaceNames names, WarmPool pool, ResourceQuotas quotas, IDataProtectionProvider protection, IStringLocalizer<SharedResource> t, TimeProvider time,
    Sizes.WorkspaceSizes sizes)
{
    public const int MaxListed = 200;

    public async Task<Outcome<WorkspaceAccess>> OpenAsync(long id, Caller caller, CancellationToken ct)
    {
        var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (workspace is null)
        {
            return NoSuchWorkspace;
        }
        var access = await rules.AccessAsync(workspace, caller, ct);
        return access.CanSee ? access : NoSuchWorkspace;
    }

    public async Task<Outcome<WorkspaceDto>> GetAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        return opened.Succeeded ? await DtoAsync(opened.Value!, ct) : opened.Problem!;
    }

    /// <summary>mine (default); course: the course-linked workspaces the caller may join; all: administrators only.</summary>
    public async Task<Outcome<IReadOnlyList<WorkspaceDto>>> ListAsync(string? scope, Caller caller, CancellationToken ct)
    {
        IQueryable<Workspace> query;
        switch (scope?.ToLowerInvariant())
        {
            case null or "" or "mine":
                query = db.Workspaces.Where(w => w.OwnerId == caller.UserId);
                break;
            case "all" when caller.IsAdmin:
                query = db.Workspaces;
                break;
            case "all":
                return Problem.Forbidden("Only administrators can list every workspace.");
            case "course":
                var courses = db.Courses.Where(c => c.OwnerId == caller.UserId).Select(c => c.Id)
                    .Concat(db.CoEducators.Where(c => c.UserId == caller.UserId).Select(c => c.CourseId))
                    .Concat(db.Enrolments.Where(e => e.UserId == caller.UserId && e.Status == EnrolmentStatus.Accepted).Select(e => e.CourseId));
                query = db.Workspaces.Where(w => w.OwnerId != caller.UserId && w.CourseId != null && courses.Contains(w.CourseId.Value));
                break;
            default:
                return Problem.BadRequest("The scope must be mine, course or all.");
        }
        var rows = await query.OrderBy(w => w.Id).Take(MaxListed).ToListAsync(ct);
        var list = new List<WorkspaceDto>();
        foreach (var row in rows)
        {
            var access = await rules.AccessAsync(row, caller, ct);
            if (access.CanSee)
            {
                list.Add(await DtoAsync(access, ct));
            }
        }
        return list;
    }

    public async Task<IReadOnlyList<PublicWorkspaceDto>> PublicAsync(string? q, CancellationToken ct)
    {
        var query = db.Workspaces.Where(w => w.Visibility == WorkspaceVisibility.Public && !w.Deleting);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            term = term.Length > WorkspaceLimits.Name ? term[..WorkspaceLimits.Name] : term;
            query = query.Where(w => w.Name.Contains(term));
        }
        return await query.OrderBy(w => w.Name).ThenBy(w => w.Id).Take(MaxListed)
            .Join(db.Users, w => w.OwnerId, u => u.Id, (w, u) => new { w, u.Nickname })
            .Select(x => new PublicWorkspaceDto(x.w.Id, x.w.Name, x.w.Description,
                x.w.Kind == WorkspaceKind.Desktop ? "desktop" : "terminal",
                x.w.GuestAccess == GuestAccess.Control ? "control" : "view", WorkspaceLifecycle.Word(x.w.State), x.Nickname))
            .ToListAsync(ct);
    }

    public async Task<Outcome<CreatedWorkspaceDto>> CreateAsync(Caller caller, WorkspaceRequest request, CancellationToken ct)
    {
        var settingsProblem = await ValidateAsync(caller, request.Name, request.Description, request.Visibility, request.GuestAccess, request.CourseId, ct);
        if (settingsProblem is not null)
        {
            return settingsProblem;
        }
        var kind = WorkspaceWords.Kind(request.Kind ?? "terminal");
        if (kind is null)
        {
            return Problem.BadRequest("The kind must be terminal or desktop.");
        }
        var role = caller.IsAdmin ? AccountRole.Admin : await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Role).SingleAsync(ct);
        if (sizes.Pick(role, request.Size) is not { } size)
        {
            return Problem.BadRequest("There is no size '{0}' for you; pick one of: {1}.", request.Size ?? "", string.Join(", ", sizes.For(role).Select(s => s.Name)));
        }
        string image;
        long? snapshotId = null;
        if (request.SnapshotId is { } sid)
        {
            var snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == sid && s.OwnerId == caller.UserId, ct);
            if (snapshot is null)
            {
                return Problem.BadRequest("No such snapshot among yours.");
            }
            if (request.Kind is not null && kind != snapshot.Kind)
            {
                return Problem.BadRequest("That snapshot is a {0} workspace.", WorkspaceWords.Of(snapshot.Kind));
            }
            (image, snapshotId, kind) = (snapshot.Image, snapshot.Id, snapshot.Kind);
        }
        else
        {
            image = names.BaseImage(kind.Value);
        }
        // A workspace from one of the user's own snapshots is made for it; a base image comes from the warm pool when it has
        // one and the standard size is asked for (the pool's containers have the standard ceilings).
        var standard = sizes.Resources(size.Name) == sizes.Resources(null);
        return await AddAsync(caller, request.Name!, request.Description, kind.Value, request.Visibility, request.GuestAccess, request.CourseId, image, snapshotId,
            snapshotId is null && standard ? WarmPool.Key(kind.Value) : null, request.Start == true, size.Name, ct);
    }

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
        var limit = (await settings.GetAsync(ct)).MaxWorkspacesPerUser;
        if (!caller.IsAdmin && await db.Workspaces.CountAsync(w => w.OwnerId == caller.UserId, ct) >= limit)
        {
            return Problem.Conflict("You already have {0} workspaces, the most allowed; delete one to make another.", limit);
        }
        if (await quotas.CheckWorkspaceAsync(caller.UserId, 0, ct) is { } overQuota)
        {
            if (start)
            {
                return overQuota;
            }
            warmPool = null; // a warm-pool container runs at once: over the quota the workspace is made stopped instead
        }
        if (!queue.HasRoom)
        {
            return Busy;
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
            JobHolder = queue.Holder,
            Image = image,
            SnapshotId = snapshotId,
            Size = size,
            VncPasswordProtected = protection.CreateProtector(WorkloadDefinition.SecretPurpose).Protect(NewVncPassword()),
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
            await pool.TryClaimAsync(workspace, warmPool, ct);
        }
        queue.TryEnqueue(new WorkspaceJob(workspace.Id, WorkspaceJobKind.Create));
        return new CreatedWorkspaceDto(workspace.Id, WorkspaceLifecycle.Word(workspace.State));
    }

    public async Task<Outcome<WorkspaceDto>> UpdateAsync(long id, Caller caller, WorkspaceRequest request, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanManage)
        {
            return NotOwner;
        }
        var w = access.Workspace;
        if (!WorkspaceLifecycle.Allows(w, WorkspaceAction.Edit))
        {
            return WrongState(w, "edit");
        }
        var problem = await ValidateAsync(caller, request.Name, request.Description, request.Visibility, request.GuestAccess, request.CourseId, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Kind is not null && WorkspaceWords.Kind(request.Kind) != w.Kind)
        {
            return Problem.BadRequest("The kind of a workspace cannot change.");
        }
        w.Name = request.Name!.Trim();
        w.Description = request.Description?.Trim() ?? "";
        w.Visibility = WorkspaceWords.Visibility(request.Visibility ?? "private")!.Value;
        w.GuestAccess = WorkspaceWords.Guests(request.GuestAccess ?? "view")!.Value;
        w.CourseId = request.CourseId;
        w.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record("workspace.update", $"workspace:{w.Id}", w.Name);
        await db.SaveChangesAsync(ct);
        return await DtoAsync(access, ct);
    }

    /// <summary>Moves the workspace from one of <paramref name="from"/> to <paramref name="to"/> and queues the job; 409 in any other state.</summary>
    public async Task<Problem?> ActAsync(long id, Caller caller, WorkspaceJobKind action, long? snapshotId, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanOperate)
        {
            return NotOwner;
        }
        var w = access.Workspace;
        var word = WorkspaceLifecycle.Word(WorkspaceLifecycle.Action(action));
        if (!WorkspaceLifecycle.Allows(w, WorkspaceLifecycle.Action(action)))
        {
            return WrongState(w, word);
        }
        if (action == WorkspaceJobKind.Stop && WorkspaceLifecycle.IsQueued(w) && w.QueuedAt is { } queuedAt)
        {
            return await LeaveQueueAsync(access, queuedAt, ct);
        }
        if (action == WorkspaceJobKind.Start && await quotas.CheckWorkspaceAsync(w.OwnerId, w.Id, ct) is { } overQuota)
        {
            return overQuota;
        }
        var to = WorkspaceLifecycle.Of(WorkspaceLifecycle.Action(action)).To!.Value;
        WorkspaceSnapshot? snapshot = null;
        if (snapshotId is { } sid)
        {
            snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == sid && (s.WorkspaceId == w.Id || s.Id == w.SnapshotId), ct);
            if (snapshot is null)
            {
                return Problem.BadRequest("No such snapshot of this workspace.");
            }
        }
        if (!queue.HasRoom)
        {
            return Busy;
        }
        var state = w.State;
        var deleting = action == WorkspaceJobKind.Delete;
        var reason = deleting ? WorkspaceReason.Of(WorkspaceReason.Deleting) : null;
        // A start waits in the capacity queue (WorkspaceAdmission queues its job when it is admitted);
        // the image it starts from is decided now, so the queue needs nothing but the row.
        var now = time.GetUtcNow().UtcDateTime;
        var starting = action == WorkspaceJobKind.Start;
        var (image, fromSnapshot) = snapshot is null ? (w.Image, w.SnapshotId) : (snapshot.Image, (long?)snapshot.Id);
        var claimed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == state && x.Deleting == w.Deleting)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, to).SetProperty(x => x.Reason, reason)
                .SetProperty(x => x.Deleting, x => x.Deleting || deleting).SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.QueuedAt, starting ? now : null).SetProperty(x => x.JobHolder, queue.Holder)
                .SetProperty(x => x.Image, image).SetProperty(x => x.SnapshotId, fromSnapshot), ct);
        if (claimed == 0)
        {
            await db.Entry(w).ReloadAsync(ct);
            return WrongState(w, word);
        }
        audit.Record($"workspace.{word}", $"workspace:{w.Id}", access.IsOwner ? null : $"by {WorkspaceWords.Of(access.Relation)}");
        await db.SaveChangesAsync(ct);
        if (starting)
        {
            admission.Wake();
        }
        else
        {
            queue.TryEnqueue(new WorkspaceJob(w.Id, action));
        }
        return null;
    }

    /// <summary>Stop on a start still waiting for capacity: it leaves the queue and is stopped again.</summary>
    async Task<Problem?> LeaveQueueAsync(WorkspaceAccess access, DateTime queuedAt, CancellationToken ct)
    {
        var w = access.Workspace;
        var left = await db.Workspaces.Where(x => x.Id == w.Id && x.State == WorkspaceState.Starting && x.QueuedAt == queuedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceState.Stopped).SetProperty(x => x.QueuedAt, (DateTime?)null)
                .SetProperty(x => x.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
        if (left == 0)
        {
            await db.Entry(w).ReloadAsync(ct);
            return WrongState(w, "stop");
        }
        audit.Record("workspace.stop", $"workspace:{w.Id}", access.IsOwner ? "left the queue" : $"left the queue, by {WorkspaceWords.Of(access.Relation)}");
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<Outcome<IReadOnlyList<SnapshotDto>>> SnapshotsAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (!opened.Value!.CanOperate)
        {
            return NotOwner;
        }
        return await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == id).OrderBy(s => s.Number)
            .Select(s => new SnapshotDto(s.Id, s.Number, s.Kind == WorkspaceKind.Desktop ? "desktop" : "terminal", s.SizeBytes, s.Digest, s.CreatedAt))
            .ToListAsync(ct);
    }

    public async Task<WorkspaceDto> DtoAsync(WorkspaceAccess access, CancellationToken ct)
    {
        var w = access.Workspace;
        var owner = await db.Users.Where(u => u.Id == w.OwnerId).Select(u => u.Nickname).SingleOrDefaultAsync(ct) ?? "";
        // A waiting start says why and about how long (issue 17); the position moves as the ones ahead are admitted.
        var position = await WorkspaceAdmission.PositionAsync(db, w, ct);
        var reason = position is null ? null : QueueWords.Of(await admission.HoldAsync(ct));
        var estimate = position is { } p ? admission.Pace.Estimate(p) : null;
        return new WorkspaceDto(w.Id, w.Name, w.Description, WorkspaceWords.Of(w.Kind), WorkspaceWords.Of(w.Visibility),
            WorkspaceWords.Of(w.GuestAccess), w.CourseId, WorkspaceLifecycle.Word(w.State), WorkspaceReason.Describe(w.Reason, t), w.ProgressBytes, w.OwnerId, owner, w.SnapshotId,
            WorkspaceWords.Of(access.Relation), access.CanControl, WorkspaceWords.Actions(access), w.CreatedAt, w.UpdatedAt,
            position, reason, estimate is { } e ? (int)Math.Ceiling(e.TotalSeconds) : null);
    }

    internal async Task<Problem?> ValidateAsync(Caller caller, string? name, string? description, string? visibility, string? guests, long? courseId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > WorkspaceLimits.Name)
        {
            return Problem.BadRequest("A workspace needs a name of at most {0} characters.", WorkspaceLimits.Name);
        }
        if (description?.Length > WorkspaceLimits.Description)
        {
            return Problem.BadRequest("The description can have at most {0} characters.", WorkspaceLimits.Description);
        }
        if (WorkspaceWords.Visibility(visibility ?? "private") is null)
        {
            return Problem.BadRequest("The visibility must be private or public.");
        }
        if (WorkspaceWords.Guests(guests ?? "view") is null)
        {
            return Problem.BadRequest("Guest access must be view or control.");
        }
        if (courseId is { } course && !await rules.BelongsToCourseAsync(course, caller.UserId, ct))
        {
            return Problem.BadRequest("A workspace can be linked only to a course you teach or take.");
        }
        return null;
    }

    internal static string NewVncPassword()
    {
        // VNC authentication uses at most 8 characters.
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(8, alphabet, (span, a) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }

    public Problem NoSuchWorkspace => Problem.NotFound("No such workspace.");

    public Problem NotOwner => Problem.Forbidden("Only the owner of this workspace (or an administrator) can do this.");

    Problem Busy => new(StatusCodes.Status503ServiceUnavailable, t["Too many workspace actions are waiting; try again in a moment."]);

    public Problem WrongState(Workspace w, string action) =>
        Problem.Conflict("The workspace is {0}; it cannot {1} now.", t[WorkspaceLifecycle.Word(w.State)].Value, t[action].Value);
}
