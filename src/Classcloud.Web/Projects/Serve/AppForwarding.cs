using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Classcloud.Web.Projects.Serve;

/// <summary>
/// How a request is passed to an app: the original Host and X-Forwarded-* headers, and no platform cookie
/// (the sign-in cookie, antiforgery, culture, the app session) — an app must never see a credential of Classcloud.
/// </summary>
public sealed class AppTransformer : HttpTransformer
{
    public static readonly AppTransformer Instance = new();

    /// <summary>Cookie names of the platform; an app's own cookies pass.</summary>
    public static bool IsPlatformCookie(string name) =>
        name.StartsWith("classcloud", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("__Host-classcloud", StringComparison.OrdinalIgnoreCase);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        proxyRequest.Headers.Remove("Cookie");
        var kept = httpContext.Request.Headers.Cookie.SelectMany(h => (h ?? "").Split(';'))
            .Select(c => c.Trim()).Where(c => c.Length > 0 && !IsPlatformCookie(c.Split('=', 2)[0].Trim())).ToList();
        if (kept.Count > 0)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
        proxyRequest.Headers.Remove("X-Forwarded-For");
        proxyRequest.Headers.Remove("X-Forwarded-Proto");
        proxyRequest.Headers.Remove("X-Forwarded-Host");
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
        }
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
    }

    /// <summary>One connection pool to every app; no proxy, no redirects followed, no cookies kept, a short connect timeout.</summary>
    public static HttpMessageInvoker CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        EnableMultipleHttp2Connections = true,
    });
}
