using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Accounts.External;

/// <summary>Where the OAuth handler sends the browser after the provider: sign in, or say why not.</summary>
[AllowAnonymous]
[EnableRateLimiting(ClasscloudDefaults.AuthRedirectRateLimit)]
public sealed class ExternalCallbackModel(ExternalSignInService external, IStringLocalizer<SharedResource> t) : PageModel
{
    public string Message { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? returnUrl, string? error, CancellationToken ct)
    {
        if (error is not null)
        {
            return Refuse(StatusCodes.Status400BadRequest, t[ExternalSignInService.NotCompleted]);
        }
        var outcome = await external.CompleteAsync(ct);
        return outcome.Succeeded
            ? LocalRedirect(ExternalSignInSetup.LocalUrl(returnUrl))
            : Refuse(outcome.Problem!.Status, outcome.Problem.Detail);
    }

    PageResult Refuse(int status, string message)
    {
        Message = message;
        Response.StatusCode = status;
        return Page();
    }
}
