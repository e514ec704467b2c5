using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workloads.Pages;

/// <summary>The container console's list of every workload (seed 004 REQ-001).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class WorkloadsModel(WorkloadConsoleService console, IStringLocalizer<SharedResource> t) : WorkloadActionsModel(console, t)
{
    public static readonly string[] Kinds = ["workspace", "app", "test", "grader"];
    public static readonly string[] States = ["running", "starting", "stopped", "backing-off", "crash-loop", "error"];

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tenant { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public Paged<WorkloadRowDto> Result { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public Pager Pager { get; private set; } = null!;

    /// <summary>Why the engine's columns are empty, when they are.</summary>
    public string? EngineProblem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        EngineProblem = (await Console.EngineProblemAsync(ct))?.Detail;
        Result = await Console.SearchAsync(new WorkloadQuery(Q, Kind, State, Owner, Tenant, PageNumber, Paging.DefaultPageSize), Paging.DefaultPageSize, ct);
        Pager = PagerFor(Result, "/admin/workloads", ("q", Q), ("kind", Kind), ("state", State), ("owner", Owner), ("tenant", Tenant));
    }
}
