using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Refuses unsafe requests (POST, PUT, PATCH, DELETE; forms, JSON, multipart and empty bodies alike) that a
/// browser sent from another origin. SameSite=Lax cookies do not cover this: a student's app on
/// <c>*.apps.&lt;domain&gt;</c> is the same <em>site</em> as the platform, so only the exact origin counts.
/// Requests with a personal access token carry no ambient credential and pass; so do non-browser clients,
/// which send neither Origin nor Sec-Fetch-Site.
/// </summary>
internal sealed class CrossSiteGuard(
    RequestDelegate next, IOptions<ClasscloudOptions> options, IOptions<CrossSiteOptions> allowed, IStringLocalizer<SharedResource> t)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            // The error page re-runs a refused request; it must be able to answer it.
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<IExceptionHandlerFeature>() is not null
            || FromThisSite(request, options.Value)
            || allowed.Value.AllowedPaths.Contains(request.Path.Value ?? "", StringComparer.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        if (ClasscloudDefaults.IsApi(request))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request",
                t["This request came from another site. Send it from this site's own pages."], context.RequestAborted);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    /// <summary>Whether a browser says the request comes from this site's own pages (or a non-browser sent it).</summary>
    internal static bool FromThisSite(HttpRequest request, ClasscloudOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return IsOwnOrigin(origin, request, options);
        }
        // Without Origin, Fetch Metadata still tells (same-site would admit the apps domain: not enough).
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }

    /// <summary>The origin of the request itself (after a known proxy's forwarded headers) or of Classcloud:PublicUrl.</summary>
    internal static bool IsOwnOrigin(string origin, HttpRequest request, ClasscloudOptions options)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !request.Host.HasValue)
        {
            return false; // "null" (sandboxed frames, opaque origins) or garbage
        }
        return (Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var self) && SameOrigin(from, self))
            || (options.PublicUri is { } publicUri && SameOrigin(from, publicUri));
    }

    static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}

/// <summary>
/// Exact paths that other sites post to by design and that carry their own proof instead of a session cookie
/// (LTI's login initiation and launch: the platform's signed token). A feature adds its own in its setup.
/// </summary>
public sealed class CrossSiteOptions
{
    public List<string> AllowedPaths { get; } = [];
}
