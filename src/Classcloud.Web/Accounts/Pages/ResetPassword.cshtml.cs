using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts.Pages;

[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class ResetPasswordModel(RecoveryService recovery, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public string? Error { get; private set; }

    public bool Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!string.Equals(Password, ConfirmPassword, StringComparison.Ordinal))
        {
            Error = t["The two passwords do not match."];
            return Page();
        }
        Error = (await recovery.ResetAsync(new ResetPasswordRequest(Token, Password), ct))?.Detail;
        Done = Error is null;
        return Page();
    }
}
