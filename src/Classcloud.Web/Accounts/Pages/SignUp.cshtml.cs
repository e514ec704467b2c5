using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts.Pages;

[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class SignUpModel(RegistrationService registration, IStringLocalizer<SharedResource> t) : PageModel
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

    /// <summary>Each field's errors, shown under its input (all at once, issue 17).</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The errors of one field, joined; null when it has none.</summary>
    public string? ErrorOf(string field) => FieldErrors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await registration.RegisterAsync(new RegisterRequest(Email, Password, Name, Nickname, Role), ct);
        if (!outcome.Succeeded)
        {
            FieldErrors = outcome.Problem!.Errors ?? new Dictionary<string, string[]>();
            // The fields say what is wrong; the banner only points at them (or says what no field owns).
            Error = FieldErrors.Count > 0 ? t["Correct the fields marked below."] : outcome.Problem.Detail;
            Password = null;
            return Page();
        }
        // The address travels in TempData, not in the URL, so it stays out of logs and browser history.
        TempData[CheckMailModel.EmailKey] = outcome.Value!.Email;
        TempData[CheckMailModel.EducatorKey] = outcome.Value.Role == AccountRole.Educator;
        return RedirectToPage("/Accounts/Pages/CheckMail");
    }
}
