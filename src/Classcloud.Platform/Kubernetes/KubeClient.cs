using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// The Kubernetes REST API over HttpClient: TLS with the cluster's CA (or none when the kubeconfig
/// says insecure-skip-tls-verify), client certificates or bearer tokens, errors from the API's
/// <c>Status</c> bodies turned into typed exceptions, and WebSocket connections for exec/attach.
/// </summary>
internal sealed class KubeClient : IDisposable
{
    readonly KubeEndpoint endpoint;
    readonly TimeSpan requestTimeout;
    readonly HttpMessageInvoker http;
    readonly X509Certificate2? clientCertificate;
    readonly X509Certificate2Collection? trustedRoots;

    public KubeClient(KubeEndpoint endpoint, TimeSpan requestTimeout)
    {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        if (endpoint.ClientCertificatePem is { } cert && endpoint.ClientKeyPem is { } key)
        {
            clientCertificate = X509Certificate2.CreateFromPem(cert, key);
        }
        if (endpoint.CaPem is { } ca)
        {
            trustedRoots = [];
            trustedRoots.ImportFromPem(ca);
        }
        http = new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
    }

    public Uri Server => endpoint.Server;

    public string? DefaultNamespace => endpoint.Namespace;

    public void Dispose()
    {
        http.Dispose();
        clientCertificate?.Dispose();
    }

    SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            SslOptions = TlsOptions(),
        };
        return handler;
    }

    SslClientAuthenticationOptions TlsOptions()
    {
        var tls = new SslClientAuthenticationOptions();
        if (clientCertificate is not null)
        {
            tls.ClientCertificates = [clientCertificate];
        }
        if (endpoint.InsecureSkipTlsVerify)
        {
            // The kubeconfig asks for it explicitly (test clusters); never the default.
#pragma warning disable CA5359 // insecure-skip-tls-verify is the kubeconfig's own, explicit choice
            tls.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (trustedRoots is not null)
        {
            // Trust exactly the cluster's CA (clusters sign their API certificate themselves).
            var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chain.CustomTrustStore.AddRange(trustedRoots);
            tls.CertificateChainPolicy = chain;
        }
        return tls;
    }

    string? Token() => endpoint.TokenFile is { } file ? File.ReadAllText(file).Trim() : endpoint.Token;

    public Uri Url(string path) => new(endpoint.Server, path.TrimStart('/'));

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool streaming, CancellationToken ct)
    {
        if (Token() is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        // As kubectl: JSON for objects, anything for the log subresource (text/plain).
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!streaming)
        {
            timeout.CancelAfter(requestTimeout);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, streaming ? ct : timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new PlatformUnavailableException($"The Kubernetes API at {endpoint.Server} cannot be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The Kubernetes API at {endpoint.Server} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {requestTimeout.TotalSeconds:0} s.");
        }
        if (!streaming)
        {
            // Read the body inside the time limit.
            await response.Content.LoadIntoBufferAsync(ct);
        }
        await EnsureSuccessAsync(response, request, ct);
        return response;
    }

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        using var response = await SendAsync(request, streaming: false, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new PlatformException($"The Kubernetes API answered GET {path} with an empty body.");
    }

    /// <summary>The object, or null on 404.</summary>
    public async Task<T?> FindAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        try
        {
            return await GetAsync(path, type, ct);
        }
        catch (PlatformNotFoundException)
        {
            return null;
        }
    }

    public async Task<T> CreateAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = JsonContent.Create(body, type) };
        using var response = await SendAsync(request, streaming: false, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? body;
    }

    public async Task<T> ReplaceAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Url(path)) { Content = JsonContent.Create(body, type) };
        using var response = await SendAsync(request, streaming: false, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? body;
    }

    /// <summary>A JSON merge patch (RFC 7386): only the given fields change.</summary>
    public async Task MergePatchAsync(string path, JsonNode patch, CancellationToken ct)
    {
        using var content = new StringContent(patch.ToJsonString(), System.Text.Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, Url(path)) { Content = content };
        using var response = await SendAsync(request, streaming: false, ct);
    }

    /// <summary>Deletes with foreground-free background propagation; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string path, CancellationToken ct, long? gracePeriodSeconds = null)
    {
        var query = gracePeriodSeconds is { } g ? $"?propagationPolicy=Background&gracePeriodSeconds={g}" : "?propagationPolicy=Background";
        using var request = new HttpRequestMessage(HttpMethod.Delete, Url(path + query));
        try
        {
            using var response = await SendAsync(request, streaming: false, ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Opens a WebSocket (exec, attach) offering <paramref name="protocols"/> in order of preference;
    /// the server picks one (<see cref="WebSocket.SubProtocol"/>).
    /// </summary>
    public async Task<WebSocket> ConnectWebSocketAsync(string path, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        var builder = new UriBuilder(Url(path)) { Scheme = endpoint.Server.Scheme == "https" ? "wss" : "ws" };
        var socket = new ClientWebSocket();
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }
        if (Token() is { Length: > 0 } token)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        try
        {
            using var invoker = new HttpMessageInvoker(CreateHandler(), disposeHandler: true);
            await socket.ConnectAsync(builder.Uri, invoker, ct);
            return socket;
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            throw status switch
            {
                404 => new PlatformNotFoundException($"Exec target not found: {path}", ex) { StatusCode = status },
                403 => new PlatformException($"The Kubernetes API refused exec (403 Forbidden): the service account needs 'create' on pods/exec and pods/attach.", ex) { StatusCode = status },
                400 => new PlatformInvalidRequestException($"The Kubernetes API refused exec: {ex.Message}", ex) { StatusCode = status },
                0 => new PlatformUnavailableException($"The Kubernetes API at {endpoint.Server} cannot be reached for exec: {ex.Message}", ex),
                _ => new PlatformException($"Exec failed with HTTP {status}: {ex.Message}", ex) { StatusCode = status },
            };
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        if (code < 400)
        {
            return;
        }
        string message;
        string? reason = null;
        try
        {
            var status = await response.Content.ReadFromJsonAsync(KubeJson.Default.Status, ct);
            message = status?.Message ?? response.ReasonPhrase ?? $"HTTP {code}";
            reason = status?.Reason;
        }
        catch (System.Text.Json.JsonException)
        {
            message = response.ReasonPhrase ?? $"HTTP {code}";
        }
        response.Dispose();
        message = $"{message} ({request.Method} {request.RequestUri?.AbsolutePath})";
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new PlatformNotFoundException(message) { StatusCode = code },
            HttpStatusCode.Conflict => new PlatformConflictException(message) { StatusCode = code },
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => new PlatformInvalidRequestException(message) { StatusCode = code },
            HttpStatusCode.Unauthorized => new PlatformUnavailableException($"The Kubernetes API refused the credentials: {message}") { StatusCode = code },
            HttpStatusCode.Gone => new KubeGoneException(message),
            HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout =>
                new PlatformUnavailableException(message) { StatusCode = code },
            _ => new PlatformException(reason is null ? message : $"{reason}: {message}") { StatusCode = code },
        };
    }
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
