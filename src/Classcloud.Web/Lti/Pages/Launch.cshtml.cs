using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Lti.Pages;

/// <summary>
/// Where the platform form-posts the id_token. Antiforgery does not apply: this is a cross-site post by design
/// (LTI Security Framework §5.1.1.3), and the proof of origin is the platform's signature on the token plus the
/// state taken once and tied to this browser's cookie (LtiLaunches), which is stronger than a form token.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(ClasscloudDefaults.AuthRateLimit)]
public sealed class LaunchModel(LtiLaunches launches, LtiDeepLinking deepLinking) : PageModel
{
    public string? Refusal { get; private set; }

    public LtiEntry? Entry { get; private set; }

    /// <summary>For a deep-linking launch: the protected request and the educator's courses to pick from.</summary>
    public (string Ticket, IReadOnlyList<LtiChoiceCourse> Courses)? Picker { get; private set; }

    public IActionResult OnGet()
    {
        Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        Refusal = Localization.Sentences.Format("The learning platform sent no launch token. Open the link in your course again.", []);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var form = Request.HasFormContentType ? Request.Form : null;
        var state = form?["state"].ToString();
        var cookie = string.IsNullOrEmpty(state) ? null : Request.Cookies[LtiLogin.CookieName(state)];
        var outcome = await launches.LaunchAsync(form?["id_token"].ToString(), state, cookie, ct);
        if (!string.IsNullOrEmpty(state))
        {
            Response.Cookies.Delete(LtiLogin.CookieName(state), new CookieOptions { Path = "/lti", Secure = true, SameSite = SameSiteMode.None });
        }
        if (!outcome.Succeeded)
        {
            Response.StatusCode = outcome.Problem!.Status;
            Refusal = outcome.Problem.Detail;
            return Page();
        }
        Entry = outcome.Value!;
        if (Entry.Launch.MessageType == LtiLaunch.DeepLinkingRequest)
        {
            var picker = await deepLinking.StartAsync(Entry.Launch, Entry.User, ct);
            if (!picker.Succeeded)
            {
                Entry = null;
                Response.StatusCode = picker.Problem!.Status;
                Refusal = picker.Problem.Detail;
                return Page();
            }
            Picker = picker.Value;
            return Page();
        }
        // A notice (an educator awaiting approval, an unlinked course) is shown here; otherwise straight on.
        return Entry.Landing.Notice is null ? LocalRedirect(Entry.Landing.Url) : Page();
    }
}
