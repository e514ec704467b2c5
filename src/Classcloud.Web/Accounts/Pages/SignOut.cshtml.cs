using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>Signing out is a POST (a link or an image could otherwise sign people out); GET asks first.</summary>
public sealed class SignOutModel(SignInService signIn) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await signIn.SignOutAsync(ct);
        return LocalRedirect("/");
    }
}
