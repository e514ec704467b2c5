using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Classcloud.Platform.Registry;

/// <summary>What <see cref="ImageLayering.PushAsync"/> pushed.</summary>
/// <param name="Reference">The target reference.</param>
/// <param name="Digest">The new manifest's digest (what a pull by digest names).</param>
/// <param name="SizeBytes">Config plus every layer, compressed, as the registry stores them.</param>
/// <param name="PushedBytes">Bytes actually uploaded: the new layer, the config, and any layer copied because a mount was refused.</param>
/// <param name="MountedLayers">Source layers linked into the target repository without copying (or already there).</param>
/// <param name="CopiedLayers">Source layers downloaded and uploaded again because the registry refused to mount them.</param>
public sealed record LayeredImage(string Reference, string Digest, long SizeBytes, long PushedBytes, int MountedLayers, int CopiedLayers);

/// <summary>
/// Makes a new image in the registry from an image already there plus one tar layer, through the
/// registry API alone (no engine, no build): the source's layers are mounted into the target
/// repository (copied only when the registry refuses), the tar is gzipped and uploaded, and a config
/// with the layer's diff id and a history entry plus a manifest of the source's kind (Docker schema 2
/// or OCI) are pushed. This is how a workspace is saved where the platform cannot commit (Kubernetes).
/// </summary>
public sealed class ImageLayering(RegistryClient registry, TimeProvider? time = null)
{
    const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
    const string OciIndex = "application/vnd.oci.image.index.v1+json";
    const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>
    /// Pushes <paramref name="target"/> = <paramref name="source"/> + <paramref name="layerTar"/> (an
    /// uncompressed tar). Both references must be in the client's registry; a multi-arch source
    /// contributes its linux/amd64 image. <paramref name="progress"/> gets the bytes uploaded so far.
    /// </summary>
    /// <exception cref="PlatformNotFoundException">The source image is not in the registry.</exception>
    public async Task<LayeredImage> PushAsync(string source, string target, string layerTar, string createdBy, IProgress<long>? progress, CancellationToken ct)
    {
        if (!registry.TryLocate(source, out var sourceRepo, out var sourceRef))
        {
            throw new ArgumentException($"{source} is not in the registry {registry.Address}.", nameof(source));
        }
        if (!registry.TryLocate(target, out var targetRepo, out var tag) || tag.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{target} is not a tagged reference in the registry {registry.Address}.", nameof(target));
        }
        var manifest = await ImageManifestAsync(sourceRepo, sourceRef, ct);
        var root = JsonNode.Parse(manifest.Bytes)!.AsObject();
        var configDescriptor = root["config"]?.AsObject() ?? throw new PlatformException($"{source} has a manifest without a config.");
        var layers = root["layers"]?.AsArray() ?? [];
        var config = await registry.BlobBytesAsync(sourceRepo, Text(configDescriptor, "digest"), ct);

        var gz = Path.GetTempFileName();
        var copy = Path.GetTempFileName();
        try
        {
            var (diffId, layerDigest, layerSize) = await CompressAsync(layerTar, gz, ct);
            long pushed = 0;
            var mounted = 0;
            var copied = 0;
            foreach (var layer in layers)
            {
                var digest = Text(layer!.AsObject(), "digest");
                if (sourceRepo == targetRepo || await registry.MountBlobAsync(targetRepo, digest, sourceRepo, ct))
                {
                    mounted++;
                    continue;
                }
                await registry.DownloadBlobAsync(sourceRepo, digest, copy, ct);
                var before = pushed;
                await registry.UploadBlobAsync(targetRepo, digest, copy, new Sum(progress, before), ct);
                pushed += new FileInfo(copy).Length;
                copied++;
            }
            await registry.UploadBlobAsync(targetRepo, layerDigest, gz, new Sum(progress, pushed), ct);
            pushed += layerSize;

            var newConfig = Extend(config, diffId, createdBy, (time ?? TimeProvider.System).GetUtcNow());
            var configDigest = RegistryClient.Sha256(newConfig);
            await registry.UploadBlobAsync(targetRepo, configDigest, newConfig, ct);
            pushed += newConfig.Length;
            progress?.Report(pushed);

            var oci = manifest.MediaType.Contains("oci", StringComparison.Ordinal);
            root["config"] = new JsonObject
            {
                ["mediaType"] = Text(configDescriptor, "mediaType"),
                ["size"] = newConfig.Length,
                ["digest"] = configDigest,
            };
            layers = root["layers"] as JsonArray ?? [];
            root["layers"] = layers;
            layers.Add(new JsonObject { ["mediaType"] = oci ? OciLayer : DockerLayer, ["size"] = layerSize, ["digest"] = layerDigest });
            var bytes = System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
            var manifestDigest = await registry.PutManifestAsync(targetRepo, tag, manifest.MediaType, bytes, ct);
            var size = newConfig.Length + layers.Sum(l => l!["size"]!.GetValue<long>());
            return new LayeredImage(target, manifestDigest, size, pushed, mounted, copied);
        }
        finally
        {
            File.Delete(gz);
            File.Delete(copy);
        }
    }

    /// <summary>The image manifest a reference names; for an index, its linux/amd64 image.</summary>
    async Task<RawManifest> ImageManifestAsync(string repository, string reference, CancellationToken ct)
    {
        var manifest = await registry.RawManifestAsync(repository, reference, ct);
        if (manifest.MediaType is not (DockerList or OciIndex))
        {
            return manifest.MediaType.Contains("v1+prettyjws", StringComparison.Ordinal) || manifest.MediaType.EndsWith("manifest.v1+json", StringComparison.Ordinal)
                ? throw new PlatformException($"{repository}:{reference} is a Docker schema 1 image; push it again with a current client.")
                : manifest;
        }
        var index = JsonNode.Parse(manifest.Bytes)!.AsObject();
        var amd64 = (index["manifests"]?.AsArray() ?? []).FirstOrDefault(m =>
            m?["platform"]?["os"]?.GetValue<string>() == "linux" && m["platform"]?["architecture"]?.GetValue<string>() == "amd64")
            ?? throw new PlatformException($"{repository}:{reference} has no linux/amd64 image.");
        return await registry.RawManifestAsync(repository, Text(amd64.AsObject(), "digest"), ct);
    }

    /// <summary>The source's config plus the layer: rootfs.diff_ids, a history entry, and the creation time.</summary>
    internal static byte[] Extend(byte[] config, string diffId, string createdBy, DateTimeOffset now)
    {
        var root = JsonNode.Parse(config)!.AsObject();
        var created = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        if (root["rootfs"] is not JsonObject rootfs)
        {
            root["rootfs"] = rootfs = new JsonObject { ["type"] = "layers" };
        }
        if (rootfs["diff_ids"] is not JsonArray diffIds)
        {
            rootfs["diff_ids"] = diffIds = [];
        }
        diffIds.Add(diffId);
        if (root["history"] is not JsonArray history)
        {
            root["history"] = history = [];
        }
        history.Add(new JsonObject { ["created"] = created, ["created_by"] = createdBy });
        root["created"] = created;
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Gzips a tar in one pass: the tar's digest (the diff id), the gzip's digest and size.</summary>
    internal static async Task<(string DiffId, string Digest, long Size)> CompressAsync(string tar, string gz, CancellationToken ct)
    {
        using var plain = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var packed = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var input = File.OpenRead(tar))
        await using (var output = File.Create(gz))
        await using (var hashing = new HashingStream(output, packed))
        await using (var zip = new GZipStream(hashing, CompressionLevel.Fastest, leaveOpen: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await input.ReadAsync(buffer, ct)) > 0)
            {
                plain.AppendData(buffer, 0, read);
                await zip.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        return ("sha256:" + Convert.ToHexStringLower(plain.GetHashAndReset()), "sha256:" + Convert.ToHexStringLower(packed.GetHashAndReset()), new FileInfo(gz).Length);
    }

    static string Text(JsonObject o, string property) =>
        o[property]?.GetValue<string>() ?? throw new PlatformException($"A manifest descriptor has no {property}.");

    /// <summary>Adds the bytes of earlier blobs to one blob's progress.</summary>
    sealed class Sum(IProgress<long>? inner, long before) : IProgress<long>
    {
        public void Report(long value) => inner?.Report(before + value);
    }

    /// <summary>A write-through stream that hashes what passes (the gzip's digest, without reading the file again).</summary>
    sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
