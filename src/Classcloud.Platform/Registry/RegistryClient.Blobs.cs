using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Classcloud.Platform.Registry;

/// <summary>A manifest exactly as the registry holds it: its bytes (whose sha256 is its digest) and media type.</summary>
/// <param name="Digest">sha256:… of <paramref name="Bytes"/>.</param>
/// <param name="MediaType">Docker schema 2, OCI manifest, or an index / manifest list.</param>
/// <param name="Bytes">The JSON as served.</param>
public sealed record RawManifest(string Digest, string MediaType, byte[] Bytes);

public sealed partial class RegistryClient
{
    /// <summary>Configs and other small blobs read into memory are refused beyond this.</summary>
    const int MaxSmallBlob = 4 * 1024 * 1024;

    /// <summary>
    /// Splits a full reference in this registry (<c>{Address}/repo/path:tag</c> or <c>…@sha256:…</c>) into
    /// repository and tag or digest. False when the reference names another registry (or none).
    /// </summary>
    public bool TryLocate(string reference, out string repository, out string tagOrDigest)
    {
        (repository, tagOrDigest) = ("", "");
        var prefix = Address + "/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal) || reference.Length == prefix.Length)
        {
            return false;
        }
        var rest = reference[prefix.Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            (repository, tagOrDigest) = (rest[..at], rest[(at + 1)..]);
            return repository.Length > 0;
        }
        var colon = rest.LastIndexOf(':');
        (repository, tagOrDigest) = colon < 0 || rest.IndexOf('/', colon) >= 0 ? (rest, "latest") : (rest[..colon], rest[(colon + 1)..]);
        return repository.Length > 0 && tagOrDigest.Length > 0;
    }

    /// <summary>A manifest (image or index) by tag or digest, as raw bytes; the digest is checked when the reference is one.</summary>
    public async Task<RawManifest> RawManifestAsync(string repository, string reference, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{repository}/manifests/{reference}", Pull(repository), ManifestTypes, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var digest = Sha256(bytes);
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference != digest)
        {
            throw new PlatformException($"The registry {Address} served {repository}@{reference} with the digest {digest}.");
        }
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is null or "application/json")
        {
            // OCI manifests may leave the media type to the JSON (and some registries serve plain JSON).
            using var json = JsonDocument.Parse(bytes);
            type = json.RootElement.TryGetProperty("mediaType", out var m) && m.GetString() is { } named ? named
                : json.RootElement.TryGetProperty("manifests", out _) ? "application/vnd.oci.image.index.v1+json"
                : "application/vnd.oci.image.manifest.v1+json";
        }
        return new RawManifest(digest, type, bytes);
    }

    /// <summary>Stores a manifest under a tag; returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string tag, string mediaType, byte[] bytes, CancellationToken ct)
    {
        using var response = await SendAsync(new Call(HttpMethod.Put, new Uri(BaseAddress, $"{repository}/manifests/{tag}"), Push(repository))
        {
            Content = () => Bytes(bytes, mediaType),
        }, ct);
        return Sha256(bytes);
    }

    /// <summary>Whether the repository has the blob (HEAD).</summary>
    public async Task<bool> BlobExistsAsync(string repository, string digest, CancellationToken ct)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Head, $"{repository}/blobs/{digest}", Pull(repository), null, ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A small blob (an image config) in memory, its digest checked.</summary>
    public async Task<byte[]> BlobBytesAsync(string repository, string digest, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{repository}/blobs/{digest}", Pull(repository), null, ct);
        if (response.Content.Headers.ContentLength > MaxSmallBlob)
        {
            throw new PlatformException($"The blob {digest} in {repository} is larger than {MaxSmallBlob} bytes.");
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        return Sha256(bytes) == digest ? bytes : throw new PlatformException($"The registry {Address} served the blob {digest} with other content.");
    }

    /// <summary>Downloads a blob to a file, streamed, its digest checked.</summary>
    public async Task DownloadBlobAsync(string repository, string digest, string file, CancellationToken ct)
    {
        using var response = await SendAsync(new Call(HttpMethod.Get, new Uri(BaseAddress, $"{repository}/blobs/{digest}"), Pull(repository))
        {
            Streamed = true,
            Unbounded = true,
        }, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = File.Create(file))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        if ("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()) != digest)
        {
            throw new PlatformException($"The registry {Address} served the blob {digest} with other content.");
        }
    }

    /// <summary>
    /// Links a blob another repository of this registry holds into <paramref name="repository"/>, without
    /// copying data. False when the registry refused (it answers with a new upload instead, which is
    /// cancelled): the caller copies the blob.
    /// </summary>
    public async Task<bool> MountBlobAsync(string repository, string digest, string from, CancellationToken ct)
    {
        var url = new Uri(BaseAddress, $"{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(from)}");
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(new Call(HttpMethod.Post, url, $"{Push(repository)} {Pull(from)}"), ct);
        }
        catch (PlatformException ex) when (ex.StatusCode is 401 or 403)
        {
            return false; // no pull right on the other repository: copying will say what is wrong, if anything
        }
        Uri? started;
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return true;
            }
            started = response.Headers.Location;
        }
        if (started is not null)
        {
            try
            {
                using var _ = await SendAsync(new Call(HttpMethod.Delete, new Uri(BaseAddress, started), Push(repository)), ct);
            }
            catch (PlatformException)
            {
                // An abandoned upload expires in the registry on its own.
            }
        }
        return false;
    }

    /// <summary>
    /// Uploads a file as a blob (one POST, then one monolithic PUT streamed from the file); a blob the
    /// repository has already is not sent again. <paramref name="progress"/> gets the bytes sent so far.
    /// </summary>
    public async Task UploadBlobAsync(string repository, string digest, string file, IProgress<long>? progress, CancellationToken ct)
    {
        if (await BlobExistsAsync(repository, digest, ct))
        {
            progress?.Report(new FileInfo(file).Length);
            return;
        }
        await UploadAsync(repository, digest, () =>
        {
            var stream = new ProgressStream(File.OpenRead(file), progress);
            var content = new StreamContent(stream, 81920);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = stream.Length;
            return content;
        }, ct);
    }

    /// <summary>Uploads a small blob (an image config) from memory.</summary>
    public async Task UploadBlobAsync(string repository, string digest, byte[] bytes, CancellationToken ct)
    {
        if (!await BlobExistsAsync(repository, digest, ct))
        {
            await UploadAsync(repository, digest, () => Bytes(bytes, "application/octet-stream"), ct);
        }
    }

    async Task UploadAsync(string repository, string digest, Func<HttpContent> content, CancellationToken ct)
    {
        Uri location;
        using (var started = await SendAsync(new Call(HttpMethod.Post, new Uri(BaseAddress, $"{repository}/blobs/uploads/"), Push(repository)), ct))
        {
            location = started.Headers.Location is { } l ? new Uri(BaseAddress, l)
                : throw new PlatformException($"The registry {Address} started an upload to {repository} without a Location.");
        }
        var put = new UriBuilder(location);
        put.Query = (put.Query.Length > 1 ? put.Query[1..] + "&" : "") + "digest=" + Uri.EscapeDataString(digest);
        using var _ = await SendAsync(new Call(HttpMethod.Put, put.Uri, Push(repository)) { Content = content, Unbounded = true }, ct);
    }

    static string Push(string repository) => Scope(repository, "pull,push");

    static ByteArrayContent Bytes(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>sha256:… of some bytes, the registry's digest form.</summary>
    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A read-only file stream that reports its position as it is read (bytes sent so far).</summary>
    sealed class ProgressStream(FileStream inner, IProgress<long>? progress) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Report(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        int Report(int read)
        {
            progress?.Report(inner.Position);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
