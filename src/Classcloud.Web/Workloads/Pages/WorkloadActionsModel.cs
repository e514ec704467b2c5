using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads.Pages;

/// <summary>The actions both console pages offer; each is WorkloadConsoleService's, then back with a one-time message.</summary>
public abstract class WorkloadActionsModel(WorkloadConsoleService console, IStringLocalizer<SharedResource> t) : AppPageModel
{
    protected WorkloadConsoleService Console => console;

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
        // The detail page of a deleted workload is gone: back to the list.
        return After(problem, t["{0} is deleted.", id], problem is null ? "/admin/workloads" : $"/admin/workloads/{Uri.EscapeDataString(id)}");
    }

    IActionResult Back<T>(Outcome<T> outcome, string message, string? returnUrl) =>
        After(outcome, _ => message, BackTo(returnUrl, "/admin/workloads"));
}
