using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Classcloud.Web.Lti.Pages;

/// <summary>
/// LTI 1.3 login initiation (third-party initiated login), by GET or by a form post from the platform. No antiforgery
/// token: the platform's own page posts here, and this step only starts a login (the launch is what signs in).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(ClasscloudDefaults.AuthRedirectRateLimit)]
public sealed class LoginModel(LtiLogin logins) : PageModel
{
    public string? Refusal { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => StartAsync(Request.Query, ct);

    public Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        StartAsync(Request.HasFormContentType ? Request.Form : Enumerable.Empty<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>(), ct);

    async Task<IActionResult> StartAsync(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, CancellationToken ct)
    {
        var p = values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);
        var request = new LtiLoginRequest(Get(p, "iss"), Get(p, "login_hint"), Get(p, "target_link_uri"), Get(p, "lti_message_hint"),
            Get(p, "client_id"), Get(p, "lti_deployment_id"));
        var outcome = await logins.StartAsync(request, ct);
        if (!outcome.Succeeded)
        {
            Response.StatusCode = outcome.Problem!.Status;
            Refusal = outcome.Problem.Detail;
            return Page();
        }
        // SameSite=None: the launch comes back as a form post from the platform's site, which a Lax cookie would miss.
        Response.Cookies.Append(LtiLogin.CookieName(outcome.Value!.State), outcome.Value.State, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.None,
            Path = "/lti",
            MaxAge = LtiLogin.Lifetime,
            IsEssential = true,
        });
        return Redirect(outcome.Value.RedirectUrl);
    }

    static string? Get(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
