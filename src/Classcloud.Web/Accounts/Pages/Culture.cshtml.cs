using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>The language switch in the top navigation: a cookie for everyone, and the user's choice when signed in.</summary>
public sealed class CultureModel(ProfileService profiles, SignInService signIn) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl, CancellationToken ct)
    {
        var back = Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
        if (culture is null || !ProfileService.Cultures.Contains(culture))
        {
            return LocalRedirect(back);
        }
        if (User.Identity?.IsAuthenticated == true)
        {
            var outcome = await profiles.UpdateAsync(User.UserId(), new UpdateProfileRequest(null, null, culture), ct);
            if (outcome.Succeeded)
            {
                signIn.RememberCulture(outcome.Value!);
                return LocalRedirect(back);
            }
        }
        // A visitor has no saved choice; the cookie alone carries it (the same cookie RememberCulture writes).
        signIn.RememberCulture(new User { Culture = culture });
        return LocalRedirect(back);
    }
}
