using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>Asks for a reset link; the answer never says whether the address has an account.</summary>
[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class ForgotPasswordModel(RecoveryService recovery) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public string? Error { get; private set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Error = (await recovery.RequestResetAsync(Email, ct))?.Detail;
        Sent = Error is null;
        return Page();
    }
}
