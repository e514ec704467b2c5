using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups.Pages;

/// <summary>My groups, invitations waiting for me, and a new group (seed 002 §2.3).</summary>
public sealed class GroupsModel(GroupService groups, GroupInvitations memberships) : AppPageModel
{
    public IReadOnlyList<GroupSummaryDto> Mine { get; private set; } = [];

    public IReadOnlyList<GroupInvitationDto> Invitations { get; private set; } = [];

    [BindProperty]
    public GroupRequest Form { get; set; } = new(null, null, "study");

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await groups.CreateAsync(Me, Form, ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            await LoadAsync(ct);
            return Page();
        }
        Flash(L("The group {0} is ready.", outcome.Value!.Name));
        return LocalRedirect($"/groups/{outcome.Value.Id}");
    }

    public async Task<IActionResult> OnPostAnswerAsync(long invitationId, bool accept, CancellationToken ct)
    {
        var outcome = await memberships.AnswerAsync(Me, invitationId, accept, ct);
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, "/groups");
        }
        return accept ? After(null, L("You joined {0}.", outcome.Value!.Name), $"/groups/{outcome.Value.Id}") : After(null, L("Invitation declined."), "/groups");
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Mine = await groups.MineAsync(Me, ct);
        Invitations = await memberships.MineAsync(Me, ct);
    }

    public string KindName(string kind) => kind switch
    {
        "club" => L("Club"),
        "team" => L("Team"),
        _ => L("Study"),
    };

    public string RoleName(string role) => role switch
    {
        "owner" => L("Owner"),
        "manager" => L("Manager"),
        _ => L("Member"),
    };
}
