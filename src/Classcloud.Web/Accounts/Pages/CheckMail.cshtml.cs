using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>After sign-up: "check your mail", with a way to have the link sent again.</summary>
[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class CheckMailModel(VerificationLinks registration) : PageModel
{
    public const string EmailKey = "signup.email";
    public const string EducatorKey = "signup.educator";

    [BindProperty]
    public string? Email { get; set; }

    public bool Educator { get; private set; }

    public bool Resent { get; private set; }

    public void OnGet()
    {
        Email = TempData[EmailKey] as string;
        Educator = TempData[EducatorKey] is true;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await registration.ResendAsync(Email, ct);
        Resent = true;
        return Page();
    }
}
