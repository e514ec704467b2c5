using System.Formats.Tar;
using System.Text;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class ImageTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    readonly List<string> images = [];

    [Fact]
    public async Task Build_from_a_context_with_a_dockerfile()
    {
        var tag = Track($"classcloud-test/built:{NewName("b")}");
        using var context = Context(new()
        {
            ["Dockerfile"] = $"FROM {EngineFixture.BaseImage}\nARG GREETING\nCOPY hello.txt /opt/hello.txt\nRUN echo \"$GREETING\" > /opt/greeting\n",
            ["hello.txt"] = "hello from the context\n",
        });
        var progress = new List<string>();
        var id = await Platform.BuildImageAsync(context, new ImageBuildRequest
        {
            Tag = tag,
            BuildArgs = new Dictionary<string, string> { ["GREETING"] = "annyeong" },
            Labels = new Dictionary<string, string> { ["classcloud.io/test-run"] = RunLabels["classcloud.io/test-run"] },
        }, new SyncProgress(progress), Timeout(120));

        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.StartsWith("Step 1/", StringComparison.Ordinal) && p.EndsWith($": FROM {EngineFixture.BaseImage}", StringComparison.Ordinal));
        var image = await Platform.InspectImageAsync(tag, Timeout());
        Assert.Equal(id, image?.Id);
        Assert.Contains(tag, image!.Tags);
        Assert.Equal(RunLabels["classcloud.io/test-run"], image.Labels["classcloud.io/test-run"]);

        var spec = Spec("built") with { Image = tag };
        await Platform.EnsureAsync(spec, Timeout());
        Assert.Equal("hello from the context\nannyeong\n", (await RunAsync(spec.Id, "cat", "/opt/hello.txt", "/opt/greeting")).Stdout);
    }

    [Fact]
    public async Task A_failing_build_reports_the_engines_error()
    {
        using var context = Context(new() { ["Dockerfile"] = $"FROM {EngineFixture.BaseImage}\nRUN exit 42\n" });
        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            Platform.BuildImageAsync(context, new ImageBuildRequest { Tag = Track($"classcloud-test/broken:{NewName("b")}") }, null, Timeout(120)));
        Assert.Contains("returned a non-zero code: 42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_push_remove_pull_and_run_the_snapshot()
    {
        var spec = Spec("snap");
        await Platform.EnsureAsync(spec, Timeout());
        Assert.Equal(0, (await RunAsync(spec.Id, "bash", "-c", "echo installed > /tmp/marker")).ExitCode);

        var reference = Track($"{EngineFixture.Registry}/classcloud-test/snap:{NewName("s")}");
        var id = await Platform.CommitAsync(spec.Id, 0, reference, Timeout());
        Assert.Equal(id, (await Platform.InspectImageAsync(reference, Timeout()))?.Id);
        // The snapshot does not carry the source workload's identity.
        var labels = (await Platform.InspectImageAsync(reference, Timeout()))!.Labels;
        Assert.Equal("", labels[PlatformInfo.WorkloadLabel]);

        await Platform.PushImageAsync(reference, null, null, Timeout(120));
        await Platform.RemoveAsync(spec.Id, Timeout());
        Assert.True(await Platform.RemoveImageAsync(reference, force: false, Timeout()));
        Assert.Null(await Platform.InspectImageAsync(reference, Timeout()));

        var progress = new List<string>();
        await Platform.PullImageAsync(reference, null, new SyncProgress(progress), Timeout(120));
        Assert.Contains(progress, p => p.Contains("Downloaded newer image", StringComparison.Ordinal));
        var pulled = await Platform.InspectImageAsync(reference, Timeout());
        Assert.Equal(id, pulled?.Id);
        Assert.Contains(pulled!.Digests, d => d.StartsWith($"{EngineFixture.Registry}/classcloud-test/snap@sha256:", StringComparison.Ordinal));

        var clone = Spec("clone") with { Image = reference };
        await Platform.EnsureAsync(clone, Timeout());
        Assert.Equal("installed\n", (await RunAsync(clone.Id, "cat", "/tmp/marker")).Stdout);
        Assert.Equal(clone.Id, Assert.Single(await Platform.ListAsync(RunLabels, Timeout())).Id);
    }

    [Fact]
    public async Task Tag_push_to_an_unreachable_registry_and_missing_images_fail_clearly()
    {
        var reference = Track($"127.0.0.1:1/classcloud-test/nowhere:{NewName("n")}");
        await Platform.TagImageAsync(EngineFixture.BaseImage, reference, Timeout());
        Assert.NotNull(await Platform.InspectImageAsync(reference, Timeout()));
        var ex = await Assert.ThrowsAsync<PlatformException>(() => Platform.PushImageAsync(reference, new RegistryCredentials("127.0.0.1:1", "u", "p"), null, Timeout(60)));
        Assert.Contains("connection refused", ex.Message, StringComparison.Ordinal);

        Assert.Null(await Platform.InspectImageAsync("classcloud-test/missing:1", Timeout()));
        Assert.False(await Platform.RemoveImageAsync("classcloud-test/missing:1", force: false, Timeout()));
        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.TagImageAsync("classcloud-test/missing:1", "classcloud-test/other:1", Timeout()));
    }

    string Track(string reference)
    {
        images.Add(reference);
        return reference;
    }

    static MemoryStream Context(Dictionary<string, string> files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }
        tar.Position = 0;
        return tar;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var image in images)
        {
            await Platform.RemoveImageAsync(image, force: true, Timeout());
        }
    }

    /// <summary>Records progress as it is reported (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
