using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Caps JSON bodies on the API well below Kestrel's 30 MB default, answering 413 with a
/// ProblemDetails before anything is read. Multipart uploads set their own, larger limits.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var max = limits.Value.MaxJsonBodyBytes;
        if (context.Request.Path.StartsWithSegments("/api") && !context.Request.HasFormContentType)
        {
            if (context.Request.ContentLength > max)
            {
                await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The request body is {context.Request.ContentLength} bytes; the limit is {max} bytes.", context.RequestAborted);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = max;
            }
        }
        await next(context);
    }
}
