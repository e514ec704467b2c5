using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>Invitations by e-mail (seed 002 §2.3: managers invite members, owners invite managers), and answering one's own.</summary>
public sealed class GroupInvitations(
    ClasscloudDb db, GroupService groups, UserManager<User> users, AccountValidation validate, GroupInvitationNotice notice, TimeProvider time)
{
    public async Task<Outcome<GroupInvitationDto>> InviteAsync(Caller caller, long groupId, InvitationRequest request, CancellationToken ct)
    {
        var opened = await groups.OpenAsync(groupId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanManage)
        {
            return groups.NotManager;
        }
        var email = request.Email?.Trim();
        if (validate.Email(email) is { } invalid)
        {
            return invalid;
        }
        var role = GroupMembershipService.ParseRole(request.Role ?? "member");
        if (role is null or GroupRole.Owner)
        {
            return Problem.BadRequest("Invite as 'member' or 'manager'; make someone an owner once they have joined.");
        }
        if (role == GroupRole.Manager && !access.IsOwner)
        {
            return groups.NotOwner;
        }
        var normalized = users.NormalizeEmail(email!);
        var invitee = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id }).SingleOrDefaultAsync(ct);
        if (invitee is not null && await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == invitee.Id, ct))
        {
            return Problem.Conflict("{0} is already a member of this group.", email!);
        }
        if (await db.GroupInvitations.AnyAsync(i => i.GroupId == groupId && i.Email == normalized, ct))
        {
            return Problem.Conflict("{0} has already been invited.", email!);
        }
        if (await db.GroupInvitations.CountAsync(i => i.GroupId == groupId, ct) >= GroupLimits.MaxPendingInvitations)
        {
            return Problem.Conflict("This group has {0} open invitations, the most allowed.", GroupLimits.MaxPendingInvitations);
        }
        var invitation = new GroupInvitation { GroupId = groupId, Email = normalized, Role = role.Value, InvitedById = caller.UserId, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.GroupInvitations.Add(invitation);
        await notice.AddAsync(caller, invitee?.Id, email!, access.Group, ct);
        await db.SaveChangesAsync(ct);
        return Describe(invitation, access.Group);
    }

    /// <summary>Invitations to the caller's verified address.</summary>
    public async Task<IReadOnlyList<GroupInvitationDto>> MineAsync(Caller caller, CancellationToken ct)
    {
        var email = await MyEmailAsync(caller, ct);
        var rows = await (from i in db.GroupInvitations.AsNoTracking()
                          join g in db.Groups on i.GroupId equals g.Id
                          where i.Email == email
                          orderby i.Id
                          select new { i, g }).Take(200).ToListAsync(ct);
        return rows.Select(r => Describe(r.i, r.g)).ToList();
    }

    public async Task<Outcome<GroupDto>> AnswerAsync(Caller caller, long invitationId, bool accept, CancellationToken ct)
    {
        var email = await MyEmailAsync(caller, ct);
        var invitation = await db.GroupInvitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.Email == email, ct);
        if (invitation is null)
        {
            return Problem.NotFound("No such invitation.");
        }
        db.GroupInvitations.Remove(invitation);
        var group = await db.Groups.SingleAsync(g => g.Id == invitation.GroupId, ct);
        if (accept && !await db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.UserId == caller.UserId, ct))
        {
            if (await db.GroupMembers.CountAsync(m => m.GroupId == group.Id, ct) >= GroupLimits.MaxMembers)
            {
                return Problem.Conflict("This group is full ({0} members).", GroupLimits.MaxMembers);
            }
            db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = caller.UserId, Role = invitation.Role, JoinedAt = time.GetUtcNow().UtcDateTime });
        }
        await db.SaveChangesAsync(ct);
        return await groups.DescribeAsync(await groups.OpenCoreAsync(group, caller, ct), ct);
    }

    async Task<string> MyEmailAsync(Caller caller, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == caller.UserId && u.EmailConfirmed).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(ct) ?? "";

    static GroupInvitationDto Describe(GroupInvitation i, Group g) =>
        new(i.Id, g.Id, g.Name, i.Email.ToLowerInvariant(), i.Role.ToString().ToLowerInvariant(), i.CreatedAt);
}
