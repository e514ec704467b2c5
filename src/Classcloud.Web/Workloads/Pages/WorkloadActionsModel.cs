using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads.Pages;

/// <summary>The actions both console pages offer; each is WorkloadConsoleService's, then back with a one-time message.</summary>
public abstract class WorkloadActionsModel(WorkloadConsoleService console, IStringLocalizer<SharedResource> t) : PageModel
{
    protected const string MessageKey = "workloads.message";
    protected const string ErrorKey = "workloads.error";

    protected WorkloadConsoleService Console => console;

    public string? Message { get; protected set; }

    public string? Error { get; protected set; }

    public string ReturnUrl => Request.Path + Request.QueryString;

    protected void ReadMessages()
    {
        Message = TempData[MessageKey] as string;
        Error = TempData[ErrorKey] as string;
    }

    public async Task<IActionResult> OnPostStartAsync(string id, string? returnUrl, CancellationToken ct) =>
        Back(await console.StartAsync(id, ct), t["{0} is starting.", id], returnUrl);

    public async Task<IActionResult> OnPostStopAsync(string id, string? returnUrl, CancellationToken ct) =>
        Back(await console.StopAsync(id, ct), t["{0} is stopping.", id], returnUrl);

    public async Task<IActionResult> OnPostRestartAsync(string id, string? returnUrl, CancellationToken ct) =>
        Back(await console.RestartAsync(id, ct), t["{0} was restarted.", id], returnUrl);

    public async Task<IActionResult> OnPostScaleAsync(string id, int? replicas, string? returnUrl, CancellationToken ct) =>
        Back(await console.ScaleAsync(id, replicas, ct), t["{0} is scaled to {1} replicas.", id, replicas ?? 0], returnUrl);

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var problem = await console.DeleteAsync(id, ct);
        TempData[problem is null ? MessageKey : ErrorKey] = problem?.Detail ?? t["{0} is deleted.", id].Value;
        // The detail page of a deleted workload is gone: back to the list.
        return problem is null ? LocalRedirect("/admin/workloads") : LocalRedirect($"/admin/workloads/{Uri.EscapeDataString(id)}");
    }

    LocalRedirectResult Back<T>(Outcome<T> outcome, string message, string? returnUrl)
    {
        TempData[outcome.Succeeded ? MessageKey : ErrorKey] = outcome.Succeeded ? message : outcome.Problem!.Detail;
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/admin/workloads");
    }
}
