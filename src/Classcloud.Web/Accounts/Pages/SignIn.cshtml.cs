using System.ComponentModel.DataAnnotations;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Accounts.Pages;

[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class SignInModel(SignInService signIn) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty]
    public bool RememberMe { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await signIn.SignInAsync(Email, Password, RememberMe, ct);
        if (!outcome.Succeeded)
        {
            Error = outcome.Problem!.Detail;
            Password = null;
            return Page();
        }
        return LocalRedirect(SafeReturnUrl);
    }

    string SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
}
