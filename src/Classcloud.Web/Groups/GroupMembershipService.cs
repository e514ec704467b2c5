using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>Roles and leaving (seed 002 §2.3: owners manage roles); joining is <see cref="GroupInvitations"/>.</summary>
public sealed class GroupMembershipService(ClasscloudDb db, GroupService groups)
{
    /// <summary>Owners change roles; the last owner cannot step down.</summary>
    public async Task<Outcome<GroupDto>> SetRoleAsync(Caller caller, long groupId, long userId, RoleRequest request, CancellationToken ct)
    {
        var opened = await groups.OpenAsync(groupId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.IsOwner)
        {
            return groups.NotOwner;
        }
        if (ParseRole(request.Role) is not { } role)
        {
            return Problem.BadRequest("Role must be 'owner', 'manager' or 'member'.");
        }
        var member = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, ct);
        if (member is null)
        {
            return Problem.NotFound("This person is not a member of this group.");
        }
        if (member.Role == GroupRole.Owner && role != GroupRole.Owner && await IsLastOwnerAsync(groupId, ct))
        {
            return Problem.Conflict("A group needs an owner; make someone else owner first.");
        }
        member.Role = role;
        await db.SaveChangesAsync(ct);
        return await groups.DescribeAsync(access, ct);
    }

    /// <summary>Owners remove anyone, managers remove members, and everyone may leave, except the last owner.</summary>
    public async Task<Problem?> RemoveAsync(Caller caller, long groupId, long userId, CancellationToken ct)
    {
        var opened = await groups.OpenAsync(groupId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var access = opened.Value!;
        var member = await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, ct);
        var self = userId == caller.UserId;
        var allowed = self || access.IsOwner || (access.CanManage && member?.Role == GroupRole.Member);
        if (!allowed)
        {
            return access.CanManage ? groups.NotOwner : groups.NotManager;
        }
        if (member is null)
        {
            return Problem.NotFound("This person is not a member of this group.");
        }
        if (member.Role == GroupRole.Owner && await IsLastOwnerAsync(groupId, ct))
        {
            return Problem.Conflict("A group needs an owner; make someone else owner first, or delete the group.");
        }
        db.GroupMembers.Remove(member);
        await db.SaveChangesAsync(ct);
        return null;
    }

    async Task<bool> IsLastOwnerAsync(long groupId, CancellationToken ct) =>
        await db.GroupMembers.CountAsync(m => m.GroupId == groupId && m.Role == GroupRole.Owner, ct) <= 1;

    internal static GroupRole? ParseRole(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "owner" => GroupRole.Owner,
        "manager" => GroupRole.Manager,
        "member" => GroupRole.Member,
        _ => null,
    };
}
