using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class SignUpModel(RegistrationService registration) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Nickname { get; set; }

    [BindProperty]
    public string Role { get; set; } = "student";

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await registration.RegisterAsync(new RegisterRequest(Email, Password, Name, Nickname, Role), ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            Password = null;
            return Page();
        }
        // The address travels in TempData, not in the URL, so it stays out of logs and browser history.
        TempData[CheckMailModel.EmailKey] = outcome.Value!.Email;
        TempData[CheckMailModel.EducatorKey] = outcome.Value.Role == AccountRole.Educator;
        return RedirectToPage("/Accounts/Pages/CheckMail");
    }
}
