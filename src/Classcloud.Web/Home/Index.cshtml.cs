using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Home;

/// <summary>
/// "/": the welcome page for visitors; for a signed-in person their day (issue 17) — workspaces, courses,
/// what is due, unread news — with a notice while an educator account waits for approval.
/// </summary>
/// <remarks>A <see cref="AppPageModel"/> for the one-time messages of the buttons that come back here (start); open to everyone.</remarks>
[AllowAnonymous]
public sealed class IndexModel(HomeService home) : AppPageModel
{
    public HomeView? View { get; private set; }

    /// <summary>An educator account an administrator has not approved yet: it may take courses but create none.</summary>
    public bool AwaitingApproval => User.IsInRole("educator") && User.HasClaim(ClaimNames.Status, "pending");

    /// <summary>May create courses now: an approved educator or an administrator.</summary>
    public bool CanTeach => User.IsInRole("admin") || (User.IsInRole("educator") && User.HasClaim(ClaimNames.Status, "active"));

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            View = await home.LoadAsync(Caller.From(User), ct);
        }
    }

    /// <summary>The workspaces card alone, polled while one of them is changing state (htmx).</summary>
    public async Task<IActionResult> OnGetWorkspacesAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Unauthorized();
        }
        View = await home.LoadAsync(Caller.From(User), ct);
        return Partial("/Home/_HomeWorkspaces.cshtml", View.Workspaces);
    }
}
