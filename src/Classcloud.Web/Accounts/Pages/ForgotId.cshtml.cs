using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>Find my ID: the answer is the same whether or not the account exists (RecoveryService).</summary>
[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class ForgotIdModel(RecoveryService recovery) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public string? Error { get; private set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Error = (await recovery.RemindIdAsync(new ForgotIdRequest(Name, Email), ct))?.Detail;
        Sent = Error is null;
        return Page();
    }
}
