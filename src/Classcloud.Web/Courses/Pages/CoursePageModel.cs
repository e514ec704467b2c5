using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses.Pages;

/// <summary>
/// What the course and group pages share: the caller, one-time messages after a form post
/// (post/redirect/get, so a reload never repeats an action), and a refusal turned into a page answer.
/// Page numbers travel as "p": Razor Pages keeps its own "page" route value (the page's path), which
/// shadows a "page" query parameter and breaks the links the tag helpers build.
/// </summary>
[Authorize]
public abstract class CoursePageModel : PageModel
{
    const string MessageKey = "courses.message";
    const string ErrorKey = "courses.error";

    public Caller Me => Caller.From(User);

    /// <summary>A sentence in the request's language (pages get the localizer from the request, so models keep short constructors).</summary>
    protected string L(string text, params object[] args) =>
        HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>()[text, args];

    public string? Message { get; private set; }

    public string? Error { get; protected set; }

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
}
