using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Monitoring.Pages;

/// <summary>Alert incidents for administrators: filter, read, acknowledge.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AlertsModel(AlertService alerts, IStringLocalizer<SharedResource> t) : AppPageModel
{
    const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public Paged<AlertDto> Result { get; private set; } = new([], 1, PageSize, 0);

    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Status is { Length: > 0 } && !AlertService.Filters.Contains(Status, StringComparer.Ordinal))
        {
            Status = null;
        }
        var outcome = await alerts.ListAsync(Status, PageNumber, PageSize, PageSize, ct);
        Result = outcome.Value ?? Result;
        Error ??= outcome.Problem?.Detail;
        Pager = PagerFor(Result, "/admin/alerts", ("status", Status));
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, string? returnUrl, CancellationToken ct)
    {
        var outcome = await alerts.AcknowledgeAsync(id, User.UserId(), ct);
        return After(outcome, _ => t["Alert {0} is acknowledged.", id], BackTo(returnUrl, "/admin/alerts"));
    }
}
