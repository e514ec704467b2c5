using Classcloud.Web.Accounts;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin.Pages;

/// <summary>Allowed sign-up domains and the quotas; SettingsService validates and records the change.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class SettingsModel(SettingsService settings, QuotaSettings quotas, IStringLocalizer<SharedResource> t) : PageModel
{
    const string MessageKey = "settings.message";
    const long Mebibyte = 1024 * 1024;

    [BindProperty]
    public string? Domains { get; set; }

    [BindProperty]
    public int? MaxWorkspacesPerUser { get; set; }

    [BindProperty]
    public int? MaxCoursesPerEducator { get; set; }

    [BindProperty]
    public int? MaxCoursesPerStudent { get; set; }

    [BindProperty]
    public double? CpuQuota { get; set; }

    [BindProperty]
    public long? MemoryQuotaMiB { get; set; }

    [BindProperty]
    public bool ExemptAdmins { get; set; }

    /// <summary>Null (not sent) leaves the home disk limit as it is.</summary>
    [BindProperty]
    public long? HomeMiB { get; set; }

    public DateTime? UpdatedAt { get; private set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Message = TempData[MessageKey] as string;
        var current = await settings.GetAsync(ct);
        Domains = string.Join('\n', current.DomainPatterns);
        MaxWorkspacesPerUser = current.MaxWorkspacesPerUser;
        MaxCoursesPerEducator = current.MaxCoursesPerEducator;
        MaxCoursesPerStudent = current.MaxCoursesPerStudent;
        CpuQuota = current.UserCpuQuota;
        MemoryQuotaMiB = current.UserMemoryQuotaBytes / Mebibyte;
        ExemptAdmins = current.QuotaExemptAdmins;
        HomeMiB = current.WorkspaceHomeBytes / Mebibyte;
        UpdatedAt = current.UpdatedAt == default ? null : current.UpdatedAt;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // An empty or non-numeric quota fails model binding; say so instead of saving a zero.
        if (MaxWorkspacesPerUser is not { } workspaces || MaxCoursesPerEducator is not { } educator || MaxCoursesPerStudent is not { } student
            || CpuQuota is not { } cpus || MemoryQuotaMiB is not { } memory || memory > QuotaSettings.MaxMemoryBytes / Mebibyte)
        {
            Error = t["Enter every quota as a whole number."];
            return Page();
        }
        var domains = (Domains ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The quota is checked before anything is saved, so a bad value in either part changes nothing.
        // Out of range (also one that would overflow as bytes) becomes -1, which the validation refuses.
        long? home = HomeMiB is not { } mib ? null : mib <= QuotaSettings.MaxMemoryBytes / Mebibyte ? mib * Mebibyte : -1;
        var quota = new QuotaSettingsDto(cpus, memory * Mebibyte, ExemptAdmins, home);
        if (quotas.Validate(quota) is { } bad)
        {
            Error = bad.Detail;
            return Page();
        }
        var outcome = await settings.UpdateAsync(new SettingsDto(domains, workspaces, educator, student), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            return Page();
        }
        await quotas.UpdateAsync(quota, ct);
        TempData[MessageKey] = t["The settings are saved."].Value;
        return RedirectToPage();
    }
}
