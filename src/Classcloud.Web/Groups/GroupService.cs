using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>Creating, reading, changing and deleting groups (seed 002 §2.3).</summary>
public sealed class GroupService(ClasscloudDb db, AccountValidation validate, AuditLog audit, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    public async Task<Outcome<GroupDto>> CreateAsync(Caller caller, GroupRequest request, CancellationToken ct)
    {
        var problem = Validate(request, out var kind);
        if (problem is not null)
        {
            return problem;
        }
        if (await db.GroupMembers.CountAsync(m => m.UserId == caller.UserId && m.Role == GroupRole.Owner, ct) >= GroupLimits.MaxGroupsPerUser)
        {
            return Problem.Conflict("You already own {0} groups, the most allowed.", GroupLimits.MaxGroupsPerUser);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var group = new Group { Name = request.Name!.Trim(), Description = request.Description?.Trim() ?? "", Kind = kind, CreatedAt = now, UpdatedAt = now };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Groups.Add(group);
        await db.SaveChangesAsync(ct);
        db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = caller.UserId, Role = GroupRole.Owner, JoinedAt = now });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await DescribeAsync(await OpenCoreAsync(group, caller, ct), ct);
    }

    /// <summary>The groups the caller belongs to.</summary>
    public async Task<IReadOnlyList<GroupSummaryDto>> MineAsync(Caller caller, CancellationToken ct)
    {
        var rows = await (from m in db.GroupMembers.AsNoTracking()
                          join g in db.Groups on m.GroupId equals g.Id
                          where m.UserId == caller.UserId
                          orderby g.Name
                          select new { g, m.Role, Count = db.GroupMembers.Count(x => x.GroupId == g.Id) })
            .Take(500).ToListAsync(ct);
        return rows.Select(r => new GroupSummaryDto(r.g.Id, r.g.Name, r.g.Description, r.g.Kind.ToString().ToLowerInvariant(),
            r.Role.ToString().ToLowerInvariant(), r.Count, r.g.CreatedAt)).ToList();
    }

    public async Task<Outcome<GroupAccess>> OpenAsync(long id, Caller caller, CancellationToken ct)
    {
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == id, ct);
        if (group is null)
        {
            return NoSuchGroup;
        }
        var access = await OpenCoreAsync(group, caller, ct);
        return access.CanSee ? access : NoSuchGroup;
    }

    public async Task<Outcome<GroupDto>> GetAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        return opened.Succeeded ? await DescribeAsync(opened.Value!, ct) : opened.Problem!;
    }

    public async Task<Outcome<GroupDto>> UpdateAsync(Caller caller, long id, GroupRequest request, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanManage)
        {
            return NotManager;
        }
        var problem = Validate(request, out var kind);
        if (problem is not null)
        {
            return problem;
        }
        var group = access.Group;
        group.Name = request.Name!.Trim();
        group.Description = request.Description?.Trim() ?? "";
        group.Kind = kind;
        group.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return await DescribeAsync(access, ct);
    }

    public async Task<Problem?> DeleteAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var access = opened.Value!;
        if (!access.IsOwner)
        {
            return NotOwner;
        }
        audit.Record(CourseAudit.GroupDelete, $"group {id}", access.Group.Name);
        await db.SaveChangesAsync(ct);
        await db.Groups.Where(g => g.Id == id).ExecuteDeleteAsync(ct);
        return null;
    }

    public async Task<GroupAccess> OpenCoreAsync(Group group, Caller caller, CancellationToken ct)
    {
        var role = await db.GroupMembers.Where(m => m.GroupId == group.Id && m.UserId == caller.UserId).Select(m => (GroupRole?)m.Role).SingleOrDefaultAsync(ct);
        var email = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(ct);
        var invited = role is null && email is not null && await db.GroupInvitations.AnyAsync(i => i.GroupId == group.Id && i.Email == email, ct);
        return new GroupAccess(group, caller, role, invited);
    }

    public async Task<GroupDto> DescribeAsync(GroupAccess access, CancellationToken ct)
    {
        var g = access.Group;
        var members = await (from m in db.GroupMembers.AsNoTracking()
                             join u in db.Users on m.UserId equals u.Id
                             where m.GroupId == g.Id
                             orderby m.Role descending, u.Name
                             select new { u.Id, u.Name, u.Nickname, m.Role, m.JoinedAt })
            .Take(GroupLimits.MaxMembers).ToListAsync(ct);
        var invitations = access.CanManage
            ? await db.GroupInvitations.AsNoTracking().Where(i => i.GroupId == g.Id).OrderBy(i => i.Id)
                .Select(i => new GroupInvitationDto(i.Id, g.Id, g.Name, i.Email, i.Role.ToString(), i.CreatedAt)).ToListAsync(ct)
            : [];
        return new GroupDto(g.Id, g.Name, g.Description, g.Kind.ToString().ToLowerInvariant(), access.MyRole,
            members.Select(m => new GroupMemberDto(new UserRef(m.Id, m.Name, m.Nickname), m.Role.ToString().ToLowerInvariant(), m.JoinedAt)).ToList(),
            invitations.Select(i => i with { Email = i.Email.ToLowerInvariant(), Role = i.Role.ToLowerInvariant() }).ToList(), g.CreatedAt);
    }

    public Problem NoSuchGroup => Problem.NotFound("No such group.");

    public Problem NotManager => Problem.Forbidden("Only the group's owners and managers can do this.");

    public Problem NotOwner => Problem.Forbidden("Only the group's owners can do this.");

    Problem? Validate(GroupRequest request, out GroupKind kind)
    {
        kind = GroupKind.Study;
        var problem = validate.Text(request.Name, "Group name", GroupLimits.Name);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Description is { Length: > GroupLimits.Description })
        {
            return Problem.BadRequest("{0} must be at most {1} characters.", t["Description"], GroupLimits.Description);
        }
        if (request.Kind is not null && (!Enum.TryParse(request.Kind, ignoreCase: true, out kind) || !Enum.IsDefined(kind) || int.TryParse(request.Kind, out _)))
        {
            return Problem.BadRequest("Kind must be 'club', 'study' or 'team'.");
        }
        return null;
    }
}
