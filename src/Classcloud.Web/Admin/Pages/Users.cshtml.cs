using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Admin.Pages;

/// <summary>The administrator's user list (seed 000 §3.5.7–3.5.8); every action is UserAdminService's.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class UsersModel(UserAdminService users, IOptions<LimitsOptions> limits, IStringLocalizer<SharedResource> t) : AppPageModel
{
    public static readonly string[] Roles = ["student", "educator", "admin"];
    public static readonly string[] Statuses = ["unverified", "pending", "active", "disabled"];

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public Paged<AdminUserDto> Result { get; private set; } = new([], 1, Paging.DefaultPageSize, 0);

    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Result = await users.SearchAsync(new UserQuery(Q, Role, Status, PageNumber, Paging.DefaultPageSize), limits.Value.MaxPageSize, ct);
        Pager = PagerFor(Result, "/admin/users", ("q", Q), ("role", Role), ("status", Status));
    }

    public async Task<IActionResult> OnPostApproveAsync(long id, string? returnUrl, CancellationToken ct) =>
        Back(await users.ApproveAsync(id, ct), u => t["{0} is approved.", u.Email!], returnUrl);

    public async Task<IActionResult> OnPostRoleAsync(long id, string? role, string? returnUrl, CancellationToken ct) =>
        Back(await users.SetRoleAsync(id, User.UserId(), role, ct), u => t["{0} is now {1}.", u.Email!, RoleName(u.Role)], returnUrl);

    public async Task<IActionResult> OnPostDisableAsync(long id, string? returnUrl, CancellationToken ct) =>
        Back(await users.SetDisabledAsync(id, User.UserId(), true, ct), u => t["{0} is disabled.", u.Email!], returnUrl);

    public async Task<IActionResult> OnPostEnableAsync(long id, string? returnUrl, CancellationToken ct) =>
        Back(await users.SetDisabledAsync(id, User.UserId(), false, ct), u => t["{0} is enabled.", u.Email!], returnUrl);

    public async Task<IActionResult> OnPostDeleteAsync(long id, string? email, string? returnUrl, CancellationToken ct)
    {
        var problem = await users.DeleteAsync(id, User.UserId(), ct);
        return After(problem, t["{0} is deleted.", email ?? id.ToString(System.Globalization.CultureInfo.InvariantCulture)], BackTo(returnUrl, "/admin/users"));
    }

    string RoleName(AccountRole role) => role switch
    {
        AccountRole.Student => t["Student"],
        AccountRole.Educator => t["Educator"],
        _ => t["Administrator"],
    };

    /// <summary>Back to the same filtered list with the outcome as a one-time message (no resubmission on reload).</summary>
    IActionResult Back(Outcome<User> outcome, Func<User, string> message, string? returnUrl) =>
        After(outcome, message, BackTo(returnUrl, "/admin/users"));
}
