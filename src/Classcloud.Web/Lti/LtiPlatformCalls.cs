using System.Text.Json;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Lti;

/// <summary>
/// What the roster and grade calls to a learning platform share: the HTTP client (at most
/// <see cref="MaxResponseBytes"/> read from any answer) and one outcome when the platform is unreachable, slow, or
/// sends what cannot be read — a 502 naming the platform, with the reason in the log, instead of an error without one.
/// </summary>
public sealed class LtiPlatformCalls(IHttpClientFactory clients, ILogger<LtiPlatformCalls> log)
{
    /// <summary>Largest response body read from a platform (a key set, a token, one roster page, a line item).</summary>
    public const long MaxResponseBytes = 1024 * 1024;

    public HttpClient Client() => clients.CreateClient(LtiKeySets.Client);

    public async Task<Outcome<T>> GuardAsync<T>(string platform, Func<Task<Outcome<T>>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException
                                   || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning(ex, "The learning platform {Platform} did not answer as LTI says", platform);
            return new Problem(StatusCodes.Status502BadGateway,
                "{0} did not answer, or answered something Classcloud could not read. Try again later; if it goes on, check the platform's registration.", platform);
        }
    }
}
