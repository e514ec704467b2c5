using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;

namespace Classcloud.Platform.Docker;

/// <summary>
/// The Docker Engine HTTP API over a unix socket or TCP (+TLS), pinned to API v1.41 (Debian's
/// docker.io 20.10). TLS is done in the connect callback, so requests always use http:// and the
/// hijacked streams of exec/attach can be half-closed.
/// </summary>
internal sealed class DockerClient : IDisposable
{
    public const string ApiVersion = "1.41";

    readonly DockerOptions options;
    readonly Uri endpoint;
    readonly HttpClient http;

    public DockerClient(DockerOptions options)
    {
        this.options = options;
        endpoint = new Uri(options.Endpoint);
        http = new HttpClient(CreateHandler(null), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Endpoint => options.Endpoint;

    public void Dispose() => http.Dispose();

    static readonly Uri Base = new($"http://docker/v{ApiVersion}/");

    public static Uri Url(string path) => new(Base, path);

    /// <summary>Sends a request that is answered in one piece; throws a typed exception on an engine error. 304 counts as success.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            return response;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The Docker Engine at {Endpoint} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {options.RequestTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Sends a request whose answer is a stream (logs, stats, events, progress); the caller disposes the response.</summary>
    public Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken ct) =>
        SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

    async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable(ex);
        }
        await EnsureSuccessAsync(response, ct);
        return response;
    }

    public async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        using var response = await SendAsync(request, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new PlatformException($"The Docker Engine answered GET {path} with an empty body.");
    }

    public async Task<TResponse> PostJsonAsync<TBody, TResponse>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = Json(body, bodyType) };
        using var response = await SendAsync(request, ct);
        return await response.Content.ReadFromJsonAsync(responseType, ct) ?? throw new PlatformException($"The Docker Engine answered POST {path} with an empty body.");
    }

    /// <summary>
    /// A JSON body with a Content-Length. Not JsonContent: it is sent chunked, and before a hijack
    /// the engine would leave the chunk trailer unread and hand it to the process as stdin.
    /// </summary>
    public static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Sends a request with no body of interest either way; returns the status (204, 304, …).</summary>
    public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        using var response = await SendAsync(request, ct);
        return response.StatusCode;
    }

    /// <summary>
    /// Upgrades the connection (<c>Connection: Upgrade</c>, <c>Upgrade: tcp</c>); the engine answers
    /// 101 and SocketsHttpHandler hands back the raw duplex stream. Each hijack gets its own handler,
    /// so the socket under it is known and can be half-closed.
    /// </summary>
    public async Task<HijackedStream> HijackAsync(string path, HttpContent body, CancellationToken ct)
    {
        var connection = new ConnectionBox();
        var invoker = new HttpMessageInvoker(CreateHandler(connection), disposeHandler: true);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = body };
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("tcp"));
            HttpResponseMessage response;
            try
            {
                response = await invoker.SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                throw Unavailable(ex);
            }
            await EnsureSuccessAsync(response, ct);
            var stream = await response.Content.ReadAsStreamAsync(ct);
            return new HijackedStream(stream, connection, response, invoker);
        }
        catch
        {
            invoker.Dispose();
            throw;
        }
    }

    PlatformUnavailableException Unavailable(HttpRequestException ex) =>
        new($"The Docker Engine at {Endpoint} cannot be reached: {ex.Message}", ex);

    static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if ((int)response.StatusCode < 400)
        {
            return;
        }
        var status = (int)response.StatusCode;
        string message;
        try
        {
            var error = await response.Content.ReadFromJsonAsync(DockerJson.Default.ErrorResponse, ct);
            message = error?.Message ?? response.ReasonPhrase ?? $"HTTP {status}";
        }
        catch (System.Text.Json.JsonException)
        {
            message = response.ReasonPhrase ?? $"HTTP {status}";
        }
        response.Dispose();
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new PlatformNotFoundException(message) { StatusCode = status },
            HttpStatusCode.Conflict => new PlatformConflictException(message) { StatusCode = status },
            HttpStatusCode.BadRequest => new PlatformInvalidRequestException(message) { StatusCode = status },
            _ => new PlatformException(message) { StatusCode = status },
        };
    }

    SocketsHttpHandler CreateHandler(ConnectionBox? capture) => new()
    {
        ConnectCallback = (_, ct) => ConnectAsync(capture, ct),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// A busy engine (a burst of a hundred starts) can fill the socket's accept backlog; Linux then
    /// refuses the connect at once (EAGAIN, reported as "cannot assign requested address"). A few
    /// short retries ride that out instead of failing the request.
    /// </summary>
    static async Task<Socket> ConnectUnixAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return socket;
            }
            catch (SocketException ex) when (attempt < 6 && ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.TryAgain or SocketError.WouldBlock)
            {
                socket.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(20 << attempt), ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    async ValueTask<Stream> ConnectAsync(ConnectionBox? capture, CancellationToken ct)
    {
        Socket socket;
        if (endpoint.Scheme == "unix")
        {
            socket = await ConnectUnixAsync(endpoint.AbsolutePath, ct);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        SslStream? tls = null;
        if (endpoint.Scheme == "tcp" && (options.CaCertificate ?? options.ClientCertificate) is not null)
        {
            tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(TlsOptions(), ct);
            stream = tls;
        }
        if (capture is not null)
        {
            capture.Socket = socket;
            capture.Tls = tls;
        }
        return stream;
    }

    SslClientAuthenticationOptions TlsOptions()
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = endpoint.Host };
        if (options.ClientCertificate is { } cert && options.ClientKey is { } key)
        {
            tls.ClientCertificates = [X509Certificate2.CreateFromPemFile(cert, key)];
        }
        if (options.CaCertificate is { } ca)
        {
            // Trust exactly the configured CA (the engine's certificates are usually self-signed).
            var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            chain.CustomTrustStore.ImportFromPemFile(ca);
            tls.CertificateChainPolicy = chain;
        }
        return tls;
    }
}

/// <summary>The socket (and TLS stream) under one hijacked connection, captured by its connect callback.</summary>
internal sealed class ConnectionBox
{
    public Socket? Socket { get; set; }

    public SslStream? Tls { get; set; }
}
