using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Saving where the platform cannot commit (Kubernetes), end to end on the real engine and registry:
/// the Docker driver wrapped in <see cref="SchedulingOnlyPlatform"/> (no commit, build, push, pull or
/// inspect), so the save runs the layered path — home archived by the helper, layered on the
/// workspace's registry image through the registry API — and the snapshot loads for another user
/// with the files there, owned by the workspace user.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LayeredSaveTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    readonly SqliteHost parent = new();
    readonly string scope = $"l-{Guid.NewGuid():N}"[..14];
    SchedulingOnlyPlatform? platform;
    ClasscloudHost host = null!;

    /// <summary>The workspace image, in the registry only (the engine pulls it when a workload needs it, as a node would).</summary>
    string SourceImage => $"{EngineFixture.Registry}/classcloud-test/layered-save:{scope}";

    IContainerPlatform Engine => engine.Platform;

    public async Task InitializeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("classcloud-lsave-image-");
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"),
            "FROM classcloud-test/base:1\nCMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done\"]\n");
        await ControllerHarness.DockerAsync("build", "-q", "-t", SourceImage, dir.FullName);
        dir.Delete(recursive: true);
        await Engine.PushImageAsync(SourceImage, null, null, CancellationToken.None);
        await Engine.RemoveImageAsync(SourceImage, force: true, CancellationToken.None);

        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
            ["Classcloud:Workspaces:TerminalImage"] = SourceImage,
            ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.250",
            ["Classcloud:Workspaces:MemoryBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            parent.Configure(key, value);
        }
        await parent.InitializeAsync();
        host = parent.Derive(services => services.AddSingleton<IContainerPlatform>(sp =>
            platform = new SchedulingOnlyPlatform(sp.GetRequiredKeyedService<IContainerPlatform>(PlatformInfo.DockerDriver))));
    }

    [Fact]
    public async Task A_save_without_commit_layers_home_on_the_registry_image_and_loads_for_another_user_with_the_files()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var loader = await host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Layered", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        await ShAsync(names.Workload(id), "echo 'my notes' > ~/notes.txt && mkdir -p ~/bin && printf '#!/bin/sh\\necho hello\\n' > ~/bin/hello && chmod 750 ~/bin/hello && ln -s notes.txt ~/link");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null));
        await StateAsync(owner, id, "stopped", seconds: 180);
        var snapshot = Assert.Single(await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/snapshots")).OkAsync<List<SnapshotDto>>());
        Assert.Null((await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>()).ProgressBytes);
        var image = names.Snapshot(owner.Id, id, 1);
        var registry = host.Services.GetRequiredService<RegistryClient>();
        Assert.True(registry.TryLocate(image, out var repository, out var tag));
        var manifest = await registry.RawManifestAsync(repository, tag, CancellationToken.None);
        Assert.Equal(manifest.Digest, snapshot.Digest); // the row records what a pull by digest names
        using (var json = JsonDocument.Parse(manifest.Bytes))
        {
            var layers = json.RootElement.GetProperty("layers");
            Assert.Equal(snapshot.SizeBytes, json.RootElement.GetProperty("config").GetProperty("size").GetInt64() + layers.EnumerateArray().Sum(l => l.GetProperty("size").GetInt64()));
            using var config = JsonDocument.Parse(await registry.BlobBytesAsync(repository, json.RootElement.GetProperty("config").GetProperty("digest").GetString()!, CancellationToken.None));
            var history = config.RootElement.GetProperty("history");
            Assert.Equal(LayeredSave.CreatedBy, history[history.GetArrayLength() - 1].GetProperty("created_by").GetString());
        }

        var exported = await (await owner.Client.PostAsJsonAsync($"/api/v1/workspaces/{id}/export", new { })).OkAsync<ExportedKeyDto>();
        var copyId = (await Api.CreatedAsync(loader.Client.PostAsJsonAsync("/api/v1/workspaces/load", new { key = exported.Key, name = "Loaded" })))
            .GetProperty("id").GetInt64();
        await StateAsync(loader, copyId, "stopped");
        await Accepted(loader.Client.PostAsync($"/api/v1/workspaces/{copyId}/start", null));
        await StateAsync(loader, copyId, "running");
        var copy = names.Workload(copyId);
        Assert.Equal("my notes\nhello\nnotes.txt\n1000:1000 750 1000:1000 1000:1000\n",
            await ShAsync(copy, "cat ~/notes.txt && ~/bin/hello && readlink ~/link && stat -c '%u:%g %a' ~/bin/hello | tr '\\n' ' ' && stat -c '%u:%g' ~/notes.txt ~ | paste -sd' '"));

        // A second save of the loaded workspace layers on the snapshot it started from.
        await Accepted(loader.Client.PostAsync($"/api/v1/workspaces/{copyId}/stop", null));
        await StateAsync(loader, copyId, "stopped");
        await Accepted(loader.Client.PostAsync($"/api/v1/workspaces/{copyId}/save", null));
        await StateAsync(loader, copyId, "stopped", seconds: 180);
        Assert.Single(await (await loader.Client.GetAsync($"/api/v1/workspaces/{copyId}/snapshots")).OkAsync<List<SnapshotDto>>());

        Assert.Equal(0, platform!.Refused); // no image operation was even asked for

        // Deleting everything collects the snapshots from the registry without any local image removal.
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/workspace-keys/{exported.Id}")).StatusCode);
        await Accepted(loader.Client.DeleteAsync($"/api/v1/workspaces/{copyId}"));
        await GoneAsync(loader, copyId);
        Assert.False(await registry.ExistsAsync(image, CancellationToken.None));
        Assert.False(await registry.ExistsAsync(names.Snapshot(loader.Id, copyId, 1), CancellationToken.None));
        Assert.Equal(0, platform.Refused);
    }

    [Fact]
    public async Task A_workspace_whose_image_is_not_in_the_registry_fails_to_save_with_the_reason()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Local", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        // Made from an image only this engine has (e.g. built locally, or from another registry).
        await host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Image, EngineFixture.BaseImage)));

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null));
        var failed = await StateAsync(owner, id, "error", seconds: 60);
        Assert.Contains("Saving on Kubernetes needs the workspace's image in the registry 127.0.0.1:5000", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(EngineFixture.BaseImage, failed.Reason, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.WorkspaceSnapshots.AnyAsync(s => s.WorkspaceId == id)));
        Assert.Null(await Engine.GetAsync(host.Services.GetRequiredService<WorkspaceNames>().Helper(id), CancellationToken.None));
    }

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    static async Task Accepted(Task<HttpResponseMessage> call) => await (await call).StatusAsync(HttpStatusCode.Accepted);

    public void Dispose() => parent.Dispose();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)parent).DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(Engine, scope);
        using var registry = new RegistryClient(new RegistryOptions { Address = EngineFixture.Registry });
        await registry.DeleteAsync(SourceImage, CancellationToken.None);
        await Engine.RemoveImageAsync(SourceImage, force: true, CancellationToken.None);
        // Snapshots pulled by the engine for the loaded workspace (the decorator pulls as a node would).
        foreach (var image in await ImagesAsync($"{EngineFixture.Registry}/classcloud/workspace"))
        {
            if (image.Contains($"/{scope}-", StringComparison.Ordinal))
            {
                await Engine.RemoveImageAsync(image, force: true, CancellationToken.None);
            }
        }
    }

    static async Task<IEnumerable<string>> ImagesAsync(string prefix) =>
        (await ControllerHarness.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(i => i.StartsWith(prefix, StringComparison.Ordinal));
}
