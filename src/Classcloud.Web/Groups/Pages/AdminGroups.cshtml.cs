using Classcloud.Web.Accounts;
using Classcloud.Web.Courses.Pages;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups.Pages;

/// <summary>Administrators see, search and delete every group.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AdminGroupsModel(GroupAdminService admin, GroupService groups) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public Paged<AdminGroupDto> Result { get; private set; } = new([], 1, 20, 0);

    public async Task OnGetAsync(CancellationToken ct) => Result = await admin.SearchAsync(Q, PageNumber, 20, 100, ct);

    public async Task<IActionResult> OnPostDeleteAsync(long id, string? name, CancellationToken ct) =>
        After(await groups.DeleteAsync(Me, id, ct), L("The group {0} was deleted.", name ?? ""), $"/admin/groups?q={Uri.EscapeDataString(Q ?? "")}");
}
