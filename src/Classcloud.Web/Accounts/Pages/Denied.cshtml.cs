using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Accounts.Pages;

/// <summary>Where the cookie handler sends a signed-in user who may not open a page.</summary>
public sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
