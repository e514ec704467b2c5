using Classcloud.Web.Accounts;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads.Pages;

/// <summary>One workload in the console: state, instances, live logs and live charts (seed 004 REQ-002/004).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class WorkloadModel(WorkloadConsoleService console, IStringLocalizer<SharedResource> t) : WorkloadActionsModel(console, t)
{
    public WorkloadDetailDto Workload { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var outcome = await Console.GetAsync(id, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        Workload = outcome.Value!;
        return Page();
    }
}
