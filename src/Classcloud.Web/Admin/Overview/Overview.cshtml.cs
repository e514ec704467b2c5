using Classcloud.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Admin.Pages;

/// <summary>/admin: the overview an administrator lands on (issue 17; it was a 404).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class OverviewModel(AdminOverview overview) : PageModel
{
    public AdminOverviewDto View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => View = await overview.LoadAsync(ct);
}
