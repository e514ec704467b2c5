using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Classcloud.Platform.Registry;

/// <summary>
/// A small client of the registry HTTP API v2 (the distribution registry, Harbor, any OCI registry):
/// ping, catalog and tags with paging, manifests, deletes. Authentication follows the challenge the
/// registry answers a request with: Basic with the configured user, or a Bearer token fetched from
/// the realm it names (as Harbor and distribution's token auth do), cached per scope until it expires.
/// Unreachable registries raise <see cref="PlatformUnavailableException"/>, other errors <see cref="PlatformException"/>.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    /// <summary>Manifest media types we ask for: images and indexes, Docker's and OCI's.</summary>
    static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    readonly RegistryOptions options;
    readonly HttpClient http;
    readonly TimeProvider time;
    readonly Lock gate = new();
    readonly Dictionary<string, (string Token, DateTimeOffset Expires)> tokens = new(StringComparer.Ordinal);
    volatile bool basic;

    /// <summary>A client for the configured registry.</summary>
    public RegistryClient(RegistryOptions options, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        this.options = options;
        this.time = time ?? TimeProvider.System;
        BaseAddress = new Uri($"{(options.UsesPlainHttp ? "http" : "https")}://{options.Address}/v2/");
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:5000/v2/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The configured address (host:port).</summary>
    public string Address => options.Address;

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    /// <summary>Checks that the registry answers the API root (and that our credentials work).</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, "", "", null, ct);
    }

    /// <summary>Repository names, in the registry's order, up to <paramref name="max"/> (paged by the registry's Link header).</summary>
    public async Task<IReadOnlyList<string>> CatalogAsync(int max, CancellationToken ct)
    {
        var names = new List<string>();
        string? next = $"_catalog?n={Math.Min(max, 100)}";
        while (next is not null && names.Count < max)
        {
            using var response = await SendAsync(HttpMethod.Get, next, "registry:catalog:*", null, ct);
            using var json = await ReadJsonAsync(response, ct);
            names.AddRange(Strings(json.RootElement, "repositories"));
            next = NextPage(response);
        }
        return names.Count > max ? names[..max] : names;
    }

    /// <summary>A repository's tags up to <paramref name="max"/>; empty when the repository has none (or is gone).</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, int max, CancellationToken ct)
    {
        var tags = new List<string>();
        string? next = $"{repository}/tags/list?n={Math.Min(max, 100)}";
        while (next is not null && tags.Count < max)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(HttpMethod.Get, next, Pull(repository), null, ct);
            }
            catch (PlatformNotFoundException)
            {
                return tags;
            }
            using (response)
            {
                using var json = await ReadJsonAsync(response, ct);
                tags.AddRange(Strings(json.RootElement, "tags"));
                next = NextPage(response);
            }
        }
        return tags.Count > max ? tags[..max] : tags;
    }

    /// <summary>A manifest (image or index) by tag or digest: its digest and the raw JSON.</summary>
    public async Task<(string Digest, JsonDocument Manifest)> ManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{repository}/manifests/{reference}", Pull(repository), ManifestTypes, ct);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : reference;
        return (digest, await ReadJsonAsync(response, ct));
    }

    /// <summary>Deletes a tag's manifest (every tag on the same digest goes with it). False when it did not exist.</summary>
    public async Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken ct)
    {
        string digest;
        try
        {
            using var head = await SendAsync(HttpMethod.Head, $"{repository}/manifests/{tag}", Scope(repository, "pull"), ManifestTypes, ct);
            digest = head.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First()
                : throw new PlatformException($"The registry {Address} gave no digest for {repository}:{tag}.");
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
        using var _ = await SendAsync(HttpMethod.Delete, $"{repository}/manifests/{digest}", Scope(repository, "delete"), null, ct);
        return true;
    }

    /// <summary>Deletes the manifest a full reference (<c>{Address}/repo/path:tag</c>) names. False when it did not exist.</summary>
    /// <exception cref="ArgumentException">The reference is not in this registry.</exception>
    public Task<bool> DeleteAsync(string reference, CancellationToken ct)
    {
        var (repository, tag) = Split(reference);
        return DeleteTagAsync(repository, tag, ct);
    }

    /// <summary>Whether the registry has the manifest a full reference (<c>{Address}/repo/path:tag</c>) names.</summary>
    /// <exception cref="ArgumentException">The reference is not in this registry.</exception>
    public async Task<bool> ExistsAsync(string reference, CancellationToken ct)
    {
        var (repository, tag) = Split(reference);
        try
        {
            using var _ = await SendAsync(HttpMethod.Head, $"{repository}/manifests/{tag}", Pull(repository), ManifestTypes, ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    /// <summary>"host:port/repo/path:tag" → ("repo/path", "tag"); a reference without a tag means "latest".</summary>
    (string Repository, string Tag) Split(string reference)
    {
        var prefix = Address + "/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal) || reference.Length == prefix.Length || reference.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{reference} is not a tagged reference in the registry {Address}.", nameof(reference));
        }
        var rest = reference[prefix.Length..];
        var colon = rest.LastIndexOf(':');
        return colon < 0 || rest.IndexOf('/', colon) >= 0 ? (rest, "latest") : (rest[..colon], rest[(colon + 1)..]);
    }

    static string Pull(string repository) => Scope(repository, "pull");

    static string Scope(string repository, string action) => $"repository:{repository}:{action}";

    /// <summary>Sends a request, answering at most one auth challenge; throws typed exceptions for failures.</summary>
    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string scope, string[]? accept, CancellationToken ct) =>
        SendAsync(new Call(method, new Uri(BaseAddress, path), scope) { Accept = accept }, ct);

    /// <summary>
    /// One registry request. <see cref="Content"/> is a factory, so the request can be sent again after an
    /// auth challenge; <see cref="Streamed"/> returns once the headers are in (blob downloads);
    /// <see cref="Unbounded"/> lifts <see cref="RegistryOptions.RequestTimeout"/> (blob uploads of any size).
    /// </summary>
    sealed record Call(HttpMethod Method, Uri Url, string Scope)
    {
        public string[]? Accept { get; init; }
        public Func<HttpContent>? Content { get; init; }
        public bool Streamed { get; init; }
        public bool Unbounded { get; init; }
    }

    async Task<HttpResponseMessage> SendAsync(Call call, CancellationToken ct)
    {
        var response = await SendOnceAsync(call, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized && await AnswerChallengeAsync(response, call.Scope, ct))
        {
            response.Dispose();
            response = await SendOnceAsync(call, ct);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await ReadErrorAsync(response, ct);
            var message = $"The registry {Address} answered {call.Method} {call.Url.AbsolutePath} with {(int)response.StatusCode}: {body}";
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => new PlatformNotFoundException(message) { StatusCode = 404 },
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new PlatformException(message) { StatusCode = (int)response.StatusCode },
                >= HttpStatusCode.InternalServerError => new PlatformUnavailableException(message) { StatusCode = (int)response.StatusCode },
                _ => new PlatformException(message) { StatusCode = (int)response.StatusCode },
            };
        }
    }

    async Task<HttpResponseMessage> SendOnceAsync(Call call, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(call.Method, call.Url);
        foreach (var type in call.Accept ?? [])
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        request.Headers.Authorization = Authorization(call.Scope);
        request.Content = call.Content?.Invoke();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!call.Unbounded)
        {
            timeout.CancelAfter(options.RequestTimeout);
        }
        try
        {
            return await http.SendAsync(request, call.Streamed ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new PlatformUnavailableException($"The registry {Address} cannot be reached: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new PlatformUnavailableException($"The registry {Address} did not answer within {options.RequestTimeout.TotalSeconds:0} s.", ex);
        }
    }

    AuthenticationHeaderValue? Authorization(string scope)
    {
        lock (gate)
        {
            if (tokens.TryGetValue(scope, out var token) && token.Expires > time.GetUtcNow())
            {
                return new AuthenticationHeaderValue("Bearer", token.Token);
            }
        }
        return basic && options.Username is { Length: > 0 } ? BasicHeader() : null;
    }

    AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));

    static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonDocument.ParseAsync(stream, default, ct);
    }

    static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length > 300 ? text[..300] : text.Trim();
    }

    static List<string> Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToList()
            : [];

    /// <summary>The next page from <c>Link: &lt;/v2/_catalog?last=x&amp;n=100&gt;; rel="next"</c>, relative to the API root.</summary>
    string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var link in links)
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                var target = new Uri(BaseAddress, link[(open + 1)..close]);
                return BaseAddress.MakeRelativeUri(target).OriginalString;
            }
        }
        return null;
    }
}
