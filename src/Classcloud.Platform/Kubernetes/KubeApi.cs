using System.Net;
using System.Net.WebSockets;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// The official client (<c>KubernetesClient</c>) with what the driver adds around it: the
/// configuration chosen in the documented order, a time limit for every request that is not a
/// stream, API errors (the server's <c>Status</c> bodies) turned into typed platform exceptions,
/// and exec/attach WebSockets that offer <c>v5.channel.k8s.io</c> before <c>v4</c>.
/// </summary>
internal sealed class KubeApi : IDisposable
{
    readonly TimeSpan requestTimeout;

    public KubeApi(KubernetesOptions options)
    {
        requestTimeout = options.RequestTimeout;
        var config = Configuration(options);
        // Our own limit applies per request (RequestAsync); streams (watches, followed logs) have none.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        DefaultNamespace = config.Namespace;
        try
        {
            Client = new k8s.Kubernetes(config)
            {
                // The client offers one subprotocol; the builder adds v5 in front of it, so a 1.30+
                // server can close stdin alone and an older one still answers with v4.
                CreateWebSocketBuilder = () =>
                {
                    var builder = new WebSocketBuilder();
                    builder.Options.AddSubProtocol(KubeExecSession.V5);
                    builder.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
                    return builder;
                },
            };
        }
        catch (KubeConfigException ex)
        {
            throw new PlatformInvalidRequestException($"The Kubernetes configuration cannot be used: {ex.Message}", ex);
        }
    }

    public IKubernetes Client { get; }

    public Uri Server => ((k8s.Kubernetes)Client).BaseUri;

    /// <summary>The context's (or service account's) namespace.</summary>
    public string? DefaultNamespace { get; }

    public void Dispose() => Client.Dispose();

    /// <summary>The configured kubeconfig, else in-cluster, else the first of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    static KubernetesClientConfiguration Configuration(KubernetesOptions options)
    {
        try
        {
            if (options.Kubeconfig is { } path)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.Context);
            }
            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            var fallback = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':')[0] is { Length: > 0 } env ? env : KubernetesClientConfiguration.KubeConfigDefaultLocation;
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(fallback, options.Context);
        }
        catch (KubeConfigException ex)
        {
            throw new PlatformInvalidRequestException($"The kubeconfig cannot be used: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new PlatformUnavailableException($"Cannot read the kubeconfig: {ex.Message}", ex);
        }
    }

    /// <summary>One request within the time limit; errors as platform exceptions.</summary>
    public async Task<T> RequestAsync<T>(string what, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(requestTimeout);
        try
        {
            return await call(Client, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The Kubernetes API at {Server} did not answer {what} within {requestTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (Translate(ex, what) is { } translated)
        {
            throw translated;
        }
    }

    public Task RequestAsync(string what, Func<IKubernetes, CancellationToken, Task> call, CancellationToken ct) =>
        RequestAsync(what, async (k, c) =>
        {
            await call(k, c);
            return true;
        }, ct);

    /// <summary>The object, or null on 404.</summary>
    public async Task<T?> FindAsync<T>(string what, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken ct) where T : class
    {
        try
        {
            return await RequestAsync(what, call, ct);
        }
        catch (PlatformNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string what, Func<IKubernetes, CancellationToken, Task> call, CancellationToken ct)
    {
        try
        {
            await RequestAsync(what, call, ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
        catch (System.Text.Json.JsonException)
        {
            // The server said yes (errors are thrown before the body is read) but answered with the
            // deleted object where the client expects a Status: a namespace does that.
            return true;
        }
    }

    /// <summary>Deletes in the background (dependents are collected by the garbage collector), as kubectl does.</summary>
    public const string Background = "Background";

    /// <summary>Exec or attach: the client's WebSocket, with connection errors as platform exceptions.</summary>
    public async Task<WebSocket> ConnectAsync(string what, Func<IKubernetes, CancellationToken, Task<WebSocket>> connect, CancellationToken ct)
    {
        try
        {
            return await connect(Client, ct);
        }
        catch (HttpOperationException ex)
        {
            var status = (int)ex.Response.StatusCode;
            var message = StatusOf(ex)?.Message ?? ex.Message;
            throw status switch
            {
                404 => new PlatformNotFoundException($"Exec target not found ({what}): {message}", ex) { StatusCode = status },
                403 => new PlatformException("The Kubernetes API refused exec (403 Forbidden): the service account needs 'create' on pods/exec and pods/attach.", ex) { StatusCode = status },
                400 => new PlatformInvalidRequestException($"The Kubernetes API refused exec: {message}", ex) { StatusCode = status },
                _ => new PlatformException($"Exec failed with HTTP {status}: {message}", ex) { StatusCode = status },
            };
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The Kubernetes API at {Server} cannot be reached for exec: {ex.Message}", ex);
        }
    }

    static V1Status? StatusOf(HttpOperationException ex)
    {
        if (ex.Body is V1Status body)
        {
            return body;
        }
        try
        {
            return ex.Response?.Content is { Length: > 0 } content ? KubernetesJson.Deserialize<V1Status>(content) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The client's exceptions as the platform's: the status code decides the type, the server's message is kept.</summary>
    PlatformException? Translate(Exception ex, string what)
    {
        switch (ex)
        {
            case HttpOperationException http:
                var code = (int)http.Response.StatusCode;
                var status = StatusOf(http);
                var message = $"{status?.Message ?? http.Response.ReasonPhrase ?? $"HTTP {code}"} ({what})";
                return http.Response.StatusCode switch
                {
                    HttpStatusCode.NotFound => new PlatformNotFoundException(message, ex) { StatusCode = code },
                    HttpStatusCode.Conflict => new PlatformConflictException(message, ex) { StatusCode = code },
                    HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new PlatformInvalidRequestException(message, ex) { StatusCode = code },
                    HttpStatusCode.Unauthorized => new PlatformUnavailableException($"The Kubernetes API refused the credentials: {message}", ex) { StatusCode = code },
                    HttpStatusCode.Gone => new KubeGoneException(message, ex),
                    HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => new PlatformUnavailableException(message, ex) { StatusCode = code },
                    _ => new PlatformException(status?.Reason is { } reason ? $"{reason}: {message}" : message, ex) { StatusCode = code },
                };
            case HttpRequestException or IOException:
                return new PlatformUnavailableException($"The Kubernetes API at {Server} cannot be reached: {ex.Message}", ex);
            default:
                return null;
        }
    }

    /// <summary>Translates an exception from a streaming call (watch, log) the same way; null when it is not the API's.</summary>
    public PlatformException? TranslateStream(Exception ex, string what) => Translate(ex, what);
}

/// <summary>410 Gone: a watch's resourceVersion is too old; the caller lists again.</summary>
public sealed class KubeGoneException : PlatformException
{
    /// <summary>Creates the exception.</summary>
    public KubeGoneException() { }

    /// <summary>Creates the exception.</summary>
    public KubeGoneException(string message) : base(message) { StatusCode = 410; }

    /// <summary>Creates the exception.</summary>
    public KubeGoneException(string message, Exception inner) : base(message, inner) { StatusCode = 410; }
}
