using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>
/// The mailed link lands here. Opening the link only shows a button; the token is redeemed by the
/// POST, because mail scanners fetch links and would otherwise spend the single-use token.
/// </summary>
[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class VerifyModel(EmailVerification registration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    /// <summary>Null before the POST; then whether the link worked.</summary>
    public bool? Succeeded { get; private set; }

    public string? Error { get; private set; }

    public User? Verified { get; private set; }

    public bool Resent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await registration.VerifyAsync(Token, ct);
        Succeeded = outcome.Succeeded;
        Error = outcome.Problem?.Detail;
        Verified = outcome.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken ct)
    {
        await registration.ResendAsync(Email, ct);
        Resent = true;
        Token = null;
        return Page();
    }
}
