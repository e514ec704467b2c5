using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Headers on every response of the platform (pages, API, files, errors), never on a student's app:
/// the apps gateway answers before this middleware runs.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next, IOptions<ClasscloudOptions> options)
{
    /// <summary>
    /// Scripts only from our own files (no inline script, no eval); inline style attributes stay allowed
    /// (xterm.js and htmx add style elements). noVNC and xterm talk over WebSockets to this host; noVNC
    /// draws its cursor from a data: URL; Bootstrap's icons are data: SVGs.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; "
        + "base-uri 'self'; frame-ancestors 'none'";

    // A year, without includeSubDomains: students' apps live on a subdomain and may be served without TLS.
    const string Hsts = "max-age=31536000";

    public Task InvokeAsync(HttpContext context)
    {
        var https = options.Value.PublicHttps;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // An endpoint's own, stricter policy stays (an attachment is served with "default-src 'none'; sandbox").
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            // Reset and share links carry tokens in the query: they never leave the site in a Referer.
            headers["Referrer-Policy"] = "same-origin";
            if (https)
            {
                headers.StrictTransportSecurity = Hsts;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
