using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Hosting;

/// <summary>Writes ProblemDetails responses outside endpoint results (middleware, rate limiter).</summary>
public static class Problems
{
    public static async ValueTask WriteAsync(HttpContext context, int status, string title, string detail, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>
/// Gives the bare status codes the framework answers by itself (401 from the cookie or token
/// handler, 403, 404, 405, 415 from minimal API body binding) a sentence, so every API error says
/// what went wrong (issue 2: "Errors are ProblemDetails with a clear detail").
/// </summary>
internal static class ProblemDefaults
{
    public static void Fill(ProblemDetailsContext context)
    {
        if (!string.IsNullOrEmpty(context.ProblemDetails.Detail))
        {
            return;
        }
        var t = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        context.ProblemDetails.Detail = status switch
        {
            StatusCodes.Status400BadRequest => t["The request is malformed."],
            StatusCodes.Status401Unauthorized => t["Sign in first, or send a valid personal access token."],
            StatusCodes.Status403Forbidden => t["You are not allowed to do this."],
            StatusCodes.Status404NotFound => t["There is nothing at this address."],
            StatusCodes.Status405MethodNotAllowed => t["This address does not accept {0} requests.", context.HttpContext.Request.Method],
            StatusCodes.Status413PayloadTooLarge => t["The request body is too large."],
            StatusCodes.Status415UnsupportedMediaType => t["Send the body as application/json."],
            StatusCodes.Status429TooManyRequests => t["Too many attempts from this address; wait a minute and try again."],
            _ => context.ProblemDetails.Title,
        };
    }
}

/// <summary>
/// Turns malformed requests (bad JSON, wrong content type, oversized body) into a 4xx ProblemDetails
/// that names the problem; anything else becomes a 500 without a stack trace.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", Describe(bad)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "Something went wrong on our side; it has been logged."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        if (!ClasscloudDefaults.IsApi(context.Request))
        {
            return false; // pages: the exception handler middleware shows the /error page instead
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }

    // 413 and 415 get ProblemDefaults' localized sentence; the rest name what the framework found.
    static string? Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status415UnsupportedMediaType or StatusCodes.Status413PayloadTooLarge => null,
        _ when bad.InnerException is System.Text.Json.JsonException json => $"The JSON body is malformed: {json.Message}",
        _ => bad.Message,
    };
}
