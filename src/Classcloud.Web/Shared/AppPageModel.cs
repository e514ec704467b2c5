using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Shared;

/// <summary>
/// The one base of signed-in pages: the caller, one-time messages after a form post (post/redirect/get,
/// so a reload never repeats an action), a refusal turned into a page answer, and paging links that keep
/// the filters. Page numbers travel as "p" on most pages: Razor Pages keeps its own "page" route value
/// (the page's path), which shadows a "page" query parameter and breaks the links the tag helpers build.
/// </summary>
[Authorize]
public abstract class AppPageModel : PageModel
{
    const string MessageKey = "flash.message";
    const string ErrorKey = "flash.error";

    public Caller Me => Caller.From(User);

    /// <summary>A sentence in the request's language (pages get the localizer from the request, so models keep short constructors).</summary>
    protected string L(string text, params object[] args) =>
        HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>()[text, args];

    public string? Message { get; private set; }

    public string? Error { get; protected set; }

    /// <summary>This page with its filters: where a form on it comes back to.</summary>
    public string ReturnUrl => Request.Path + Request.QueryString;

    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        Message = TempData[MessageKey] as string;
        Error ??= TempData[ErrorKey] as string;
        base.OnPageHandlerExecuting(context);
    }

    protected void Flash(string message) => TempData[MessageKey] = message;

    protected void FlashError(string error) => TempData[ErrorKey] = error;

    /// <summary>A missing thing is a 404 page; anything else goes back with the reason shown.</summary>
    protected IActionResult Fail(Problem problem, string back)
    {
        if (problem.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        FlashError(problem.Detail);
        return LocalRedirect(back);
    }

    /// <summary>The outcome of a form: the message or the problem, then back to a page.</summary>
    protected IActionResult After(Problem? problem, string message, string back)
    {
        if (problem is null)
        {
            Flash(message);
        }
        else
        {
            FlashError(problem.Detail);
        }
        return LocalRedirect(back);
    }

    /// <summary>The outcome of a form that returns a value: its message or the problem, then back.</summary>
    protected IActionResult After<T>(Outcome<T> outcome, Func<T, string> message, string back) =>
        After(outcome.Problem, outcome.Succeeded ? message(outcome.Value!) : "", back);

    /// <summary>The page a form asked to return to when it is local, otherwise <paramref name="fallback"/>.</summary>
    protected string BackTo(string? returnUrl, string fallback) => Url.IsLocalUrl(returnUrl) ? returnUrl : fallback;

    /// <summary>Paging links for <paramref name="result"/> that keep the given filters.</summary>
    protected static Pager PagerFor<T>(Paged<T> result, string path, params (string Name, string? Value)[] filters) =>
        new(result.Page, result.TotalPages, result.TotalCount, path, filters.ToDictionary(f => f.Name, f => f.Value));
}
