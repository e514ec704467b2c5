using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// Who may read /metrics: callers on loopback, or with the configured bearer token. Runs in front
/// of the Prometheus exporter, in its branch of the pipeline.
/// </summary>
internal static class MetricsAccess
{
    public static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var token = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Token;
        if (Allowed(context, token))
        {
            await next(context);
            return;
        }
        // Without a token nobody but loopback may know it exists; with one, say "not allowed".
        context.Response.StatusCode = token is { Length: > 0 } ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound;
    }

    static bool Allowed(HttpContext context, string? token)
    {
        if (context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
        {
            return true;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (token is not { Length: > 0 } || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
