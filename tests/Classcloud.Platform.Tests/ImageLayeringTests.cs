using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>
/// <see cref="ImageLayering"/> against the real registry and engine: the test image pushed as a
/// base, a tar layered on it through the registry API alone, then pulled and run by the engine —
/// files, owners and modes as in the tar; the base layer mounted (never uploaded again), or copied
/// when the registry refuses the mount.
/// </summary>
public sealed class ImageLayeringTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    readonly List<string> images = [];
    readonly string tarFile = Path.GetTempFileName();

    [Fact]
    public async Task A_layer_on_a_pushed_base_pulls_and_runs_with_its_files_and_the_base_layers_were_mounted()
    {
        var (baseRef, baseLayers) = await PushBaseAsync();
        var target = Track($"{EngineFixture.Registry}/classcloud-test/layered-{NewName("l")}:1");
        await WriteLayerAsync(tarFile);
        var recorder = new Recorder();
        using var client = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry }, null, recorder);
        var progress = new List<long>();

        var result = await new ImageLayering(client).PushAsync(baseRef, target, tarFile, "classcloud save: home", new Collect(progress), Timeout(120));

        Assert.Equal((baseLayers, 0), (result.MountedLayers, result.CopiedLayers));
        Assert.Equal(baseLayers, recorder.Count(r => r.StartsWith("POST", StringComparison.Ordinal) && r.Contains("mount=", StringComparison.Ordinal) && r.EndsWith(" 201", StringComparison.Ordinal)));
        // Two uploads only: the new layer and the config; the base's data never crossed the wire again.
        Assert.Equal(2, recorder.Count(r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.True(result.PushedBytes < 64 * 1024, $"pushed {result.PushedBytes} bytes");
        Assert.Equal(result.PushedBytes, progress[^1]);
        Assert.StartsWith("sha256:", result.Digest, StringComparison.Ordinal);

        var (repository, _) = Locate(client, target);
        var manifest = await client.RawManifestAsync(repository, "1", Timeout());
        Assert.Equal(result.Digest, manifest.Digest);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest.MediaType);
        using var json = JsonDocument.Parse(manifest.Bytes);
        var layers = json.RootElement.GetProperty("layers");
        Assert.Equal(baseLayers + 1, layers.GetArrayLength());
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", layers[baseLayers].GetProperty("mediaType").GetString());
        var config = JsonDocument.Parse(await client.BlobBytesAsync(repository, json.RootElement.GetProperty("config").GetProperty("digest").GetString()!, Timeout()));
        var history = config.RootElement.GetProperty("history");
        Assert.Equal("classcloud save: home", history[history.GetArrayLength() - 1].GetProperty("created_by").GetString());
        Assert.Equal(baseLayers + 1, config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength());

        await RunLayeredAsync(target, result.Digest);
    }

    [Fact]
    public async Task A_registry_refusing_the_mount_gets_the_base_layers_copied_and_the_image_still_runs()
    {
        var (baseRef, baseLayers) = await PushBaseAsync();
        var target = Track($"{EngineFixture.Registry}/classcloud-test/copied-{NewName("c")}:1");
        await WriteLayerAsync(tarFile);
        // The registry cannot mount from a repository that does not hold the blob: it answers 202 with a new upload.
        var recorder = new Recorder { RewriteMountFrom = "classcloud-test/nowhere" };
        using var client = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry }, null, recorder);

        var result = await new ImageLayering(client).PushAsync(baseRef, target, tarFile, "classcloud save: home", null, Timeout(120));

        Assert.Equal((0, baseLayers), (result.MountedLayers, result.CopiedLayers));
        Assert.Equal(baseLayers, recorder.Count(r => r.Contains("mount=", StringComparison.Ordinal) && r.EndsWith(" 202", StringComparison.Ordinal)));
        Assert.Equal(baseLayers, recorder.Count(r => r.StartsWith("DELETE", StringComparison.Ordinal) && r.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.Equal(baseLayers + 2, recorder.Count(r => r.StartsWith("PUT", StringComparison.Ordinal) && r.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        Assert.True(result.PushedBytes > 10 * MiB, $"pushed {result.PushedBytes} bytes"); // the base (Debian minbase) went again
        await RunLayeredAsync(target, result.Digest);
    }

    [Fact]
    public async Task A_source_missing_from_the_registry_is_not_found()
    {
        await WriteLayerAsync(tarFile);
        using var client = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry });
        var layering = new ImageLayering(client);
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => layering.PushAsync(
            $"{EngineFixture.Registry}/classcloud-test/missing-{NewName("m")}:1", $"{EngineFixture.Registry}/classcloud-test/never:1", tarFile, "x", null, Timeout()));
        await Assert.ThrowsAsync<ArgumentException>(() => layering.PushAsync(EngineFixture.BaseImage, $"{EngineFixture.Registry}/classcloud-test/never:1", tarFile, "x", null, Timeout()));
    }

    async Task RunLayeredAsync(string target, string digest)
    {
        await Platform.PullImageAsync(target, null, null, Timeout(120));
        var pulled = await Platform.InspectImageAsync(target, Timeout());
        Assert.Contains(pulled!.Digests, d => d.EndsWith("@" + digest, StringComparison.Ordinal));
        var spec = Spec("run") with { Image = target };
        await Platform.EnsureAsync(spec, Timeout());
        var listing = await RunAsync(spec.Id, "bash", "-c",
            "cd /home/classcloud && stat -c '%n %u:%g %a' . notes.txt bin bin/run.sh && readlink link && cat notes.txt && bin/run.sh && stat -c '%u:%g %a' /home /etc/passwd");
        Assert.True(listing.ExitCode == 0, listing.Stderr);
        Assert.Equal("""
            . 1000:1000 750
            notes.txt 1000:1000 640
            bin 1000:1000 755
            bin/run.sh 1000:1000 755
            notes.txt
            my notes
            ran
            0:0 755
            0:0 644

            """.ReplaceLineEndings("\n"), listing.Stdout);
    }

    /// <summary>The test image in the registry under a repository of this test; returns its reference and layer count.</summary>
    async Task<(string Reference, int Layers)> PushBaseAsync()
    {
        var reference = Track($"{EngineFixture.Registry}/classcloud-test/layer-base-{NewName("b")}:1");
        await Platform.TagImageAsync(EngineFixture.BaseImage, reference, Timeout());
        await Platform.PushImageAsync(reference, null, null, Timeout(120));
        using var client = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry });
        var (repository, tag) = Locate(client, reference);
        using var manifest = JsonDocument.Parse((await client.RawManifestAsync(repository, tag, Timeout())).Bytes);
        return (reference, manifest.RootElement.GetProperty("layers").GetArrayLength());
    }

    /// <summary>A home layer as the workspace save writes it: parents, uid/gid 1000, modes kept, a symlink.</summary>
    static async Task WriteLayerAsync(string file)
    {
        await using var stream = File.Create(file);
        await using var tar = new TarWriter(stream, TarEntryFormat.Pax);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "home/") { Mode = (UnixFileMode)0b111_101_101 });
        await tar.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.Directory, "home/classcloud/") { Mode = (UnixFileMode)0b111_101_000 }));
        await tar.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.RegularFile, "home/classcloud/notes.txt")
        {
            Mode = (UnixFileMode)0b110_100_000,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes("my notes\n")),
        }));
        await tar.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.Directory, "home/classcloud/bin/") { Mode = (UnixFileMode)0b111_101_101 }));
        await tar.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.RegularFile, "home/classcloud/bin/run.sh")
        {
            Mode = (UnixFileMode)0b111_101_101,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\necho ran\n")),
        }));
        await tar.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.SymbolicLink, "home/classcloud/link") { LinkName = "notes.txt" }));
    }

    static PaxTarEntry Owned(PaxTarEntry entry)
    {
        entry.Uid = 1000;
        entry.Gid = 1000;
        return entry;
    }

    static (string Repository, string Tag) Locate(RegistryClient client, string reference) =>
        client.TryLocate(reference, out var repository, out var tag) ? (repository, tag) : throw new InvalidOperationException(reference);

    string Track(string reference)
    {
        images.Add(reference);
        return reference;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(tarFile);
        using var client = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry });
        foreach (var image in images)
        {
            await client.DeleteAsync(image, Timeout());
            await Platform.RemoveImageAsync(image, force: true, Timeout());
        }
    }

    /// <summary>The real registry, with every request recorded as "METHOD path?query status"; optionally points mounts at another repository.</summary>
    sealed class Recorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        readonly List<string> requests = [];

        public string? RewriteMountFrom { get; init; }

        public int Count(Func<string, bool> match)
        {
            lock (requests)
            {
                return requests.Count(match);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (RewriteMountFrom is { } from && request.RequestUri!.Query.Contains("mount=", StringComparison.Ordinal))
            {
                var query = string.Join('&', request.RequestUri.Query.TrimStart('?').Split('&')
                    .Select(p => p.StartsWith("from=", StringComparison.Ordinal) ? "from=" + Uri.EscapeDataString(from) : p));
                request.RequestUri = new UriBuilder(request.RequestUri) { Query = query }.Uri;
            }
            var response = await base.SendAsync(request, cancellationToken);
            lock (requests)
            {
                requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery} {(int)response.StatusCode}");
            }
            return response;
        }
    }

    sealed class Collect(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
