using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Lti.Pages;

/// <summary>The picker's post (from this site, antiforgery checked): signs the deep-linking answer and sends the browser back to the platform.</summary>
public sealed class DeepLinkModel(LtiDeepLinking deepLinking) : AppPageModel
{
    public LtiDeepLinkAnswer? Answer { get; private set; }

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? ticket, string? choice, CancellationToken ct)
    {
        var opened = deepLinking.Open(ticket);
        if (opened is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Refusal = L("This selection has expired. Open the content selection in your course again.");
            return Page();
        }
        var outcome = await deepLinking.AnswerAsync(opened, Me, choice, ct);
        if (!outcome.Succeeded)
        {
            Response.StatusCode = outcome.Problem!.Status;
            Refusal = outcome.Problem.Detail;
            return Page();
        }
        Answer = outcome.Value;
        return Page();
    }
}
