using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Monitoring.Pages;

/// <summary>Alert incidents for administrators: filter, read, acknowledge.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AlertsModel(AlertService alerts, IStringLocalizer<SharedResource> t) : PageModel
{
    const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public Paged<AlertDto> Result { get; private set; } = new([], 1, PageSize, 0);

    public Pager Pager { get; private set; } = null!;

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData["alerts-message"] as string;
        if (Status is { Length: > 0 } && !AlertService.Filters.Contains(Status, StringComparer.Ordinal))
        {
            Status = null;
        }
        var outcome = await alerts.ListAsync(Status, PageNumber, PageSize, PageSize, ct);
        Result = outcome.Value ?? Result;
        Error = outcome.Problem?.Detail;
        Pager = new Pager(Result.Page, Result.TotalPages, Result.TotalCount, "/admin/alerts", new Dictionary<string, string?> { ["status"] = Status });
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, string? returnUrl, CancellationToken ct)
    {
        var outcome = await alerts.AcknowledgeAsync(id, User.UserId(), ct);
        TempData["alerts-message"] = outcome.Succeeded ? t["Alert {0} is acknowledged.", id].Value : outcome.Problem!.Detail;
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/admin/alerts");
    }
}
