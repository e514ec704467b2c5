using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups.Pages;

/// <summary>One group: details (managers edit), members and roles (owners), invitations by e-mail, leaving and deleting.</summary>
public sealed class GroupDetailModel(GroupService groups, GroupMembershipService memberships, GroupInvitations invitations) : AppPageModel
{
    public GroupDto Group { get; private set; } = null!;

    public bool CanManage => Group.MyRole is "owner" or "manager" or "admin";

    public bool IsOwner => Group.MyRole is "owner" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var group = await groups.GetAsync(Me, id, ct);
        if (!group.Succeeded)
        {
            return NotFound();
        }
        Group = group.Value!;
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(long id, GroupRequest form, CancellationToken ct) =>
        After((await groups.UpdateAsync(Me, id, form, ct)).Problem, L("Saved."), $"/groups/{id}");

    public async Task<IActionResult> OnPostInviteAsync(long id, string? email, string? role, CancellationToken ct) =>
        After((await invitations.InviteAsync(Me, id, new InvitationRequest(email, role), ct)).Problem, L("{0} was invited.", email ?? ""), $"/groups/{id}");

    public async Task<IActionResult> OnPostRoleAsync(long id, long userId, string? role, CancellationToken ct) =>
        After((await memberships.SetRoleAsync(Me, id, userId, new RoleRequest(role), ct)).Problem, L("Saved."), $"/groups/{id}");

    public async Task<IActionResult> OnPostRemoveAsync(long id, long userId, CancellationToken ct) =>
        After(await memberships.RemoveAsync(Me, id, userId, ct), L("Removed from the group."), $"/groups/{id}");

    public async Task<IActionResult> OnPostLeaveAsync(long id, CancellationToken ct)
    {
        var problem = await memberships.RemoveAsync(Me, id, Me.UserId, ct);
        return problem is null ? After(null, L("You left the group."), "/groups") : Fail(problem, $"/groups/{id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var problem = await groups.DeleteAsync(Me, id, ct);
        return problem is null ? After(null, L("The group was deleted."), "/groups") : Fail(problem, $"/groups/{id}");
    }

    public string RoleName(string role) => role switch
    {
        "owner" => L("Owner"),
        "manager" => L("Manager"),
        _ => L("Member"),
    };
}
