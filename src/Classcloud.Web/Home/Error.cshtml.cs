using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Classcloud.Web.Home;

/// <summary>
/// The page people see for unhandled errors and error status codes outside the API (re-executed by
/// the exception handler and status code pages middleware, with the original method, so no antiforgery check).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status => Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError;
}
