using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Platform.Tests.Kubernetes;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Gateway;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// A workspace's life on a real cluster (<c>CLASSCLOUD_K8S_E2E</c>) with the Kubernetes driver,
/// through the API as a student uses it: create, start, a file written from the terminal through the
/// gateway (tmux in the pod), stop, **save** (the
/// layered save: home archived by the helper workload in the cluster, layered on the workspace's
/// registry image through the registry API), then start again and leave it alone until the
/// **idle watcher** stops it (on Kubernetes the suspend step is a stop). The cluster has no volume
/// provisioner, so the test offers one hostPath PersistentVolume in a storage class of its own.
/// </summary>
public sealed class RealClusterWorkspaceLifecycleTests(ITestOutputHelper output)
{
    const string Image = $"{EngineFixture.Registry}/classcloud-test/k8s-workspace:2";

    [ClusterFact]
    public async Task A_workspace_saves_its_home_to_the_registry_and_stops_when_idle_on_a_real_cluster()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        var kubeconfig = Environment.GetEnvironmentVariable(ClusterFactAttribute.Variable)!;
        var scope = $"k-{Guid.NewGuid():N}"[..14];
        var storageClass = $"classcloud-{scope}";
        await PushImageAsync();
        await using var volume = await HostPathVolume.OfferAsync(kubeconfig, storageClass, ct);
        var root = new SqliteHost();
        try
        {
            foreach (var (key, value) in new Dictionary<string, string?>
            {
                ["Classcloud:Platform:Enabled"] = "true",
                ["Classcloud:Platform:Driver"] = "kubernetes",
                ["Classcloud:Platform:Kubernetes:Kubeconfig"] = kubeconfig,
                ["Classcloud:Platform:Kubernetes:NamespacePrefix"] = "cc-e2e-",
                ["Classcloud:Platform:Kubernetes:StorageClass"] = storageClass,
                ["Classcloud:Platform:Kubernetes:VolumeSize"] = "1Gi",
                ["Classcloud:Controller:Scope"] = scope,
                ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
                ["Classcloud:Workspaces:TerminalImage"] = Image,
                ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.250",
                ["Classcloud:Workspaces:MemoryBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The idle clock runs from the terminal's close (before the save); the second start must be seen
                // running before it strikes, so the stop comes well after stop + save + the snapshot's check.
                // (Kubernetes cannot pause: the suspend step would be a stop too, so it is off here.)
                ["Classcloud:Workspaces:IdleSuspendAfter"] = "00:00:00",
                ["Classcloud:Workspaces:IdleStopAfter"] = "00:02:30",
                ["Classcloud:Workspaces:IdleCheckInterval"] = "00:00:01",
                ["Classcloud:Workspaces:PresenceHeartbeat"] = "00:00:05",
            })
            {
                root.Configure(key, value);
            }
            await root.InitializeAsync();
            await RunAsync(root, ct);
        }
        finally
        {
            await ((IAsyncLifetime)root).DisposeAsync();
        }
    }

    async Task RunAsync(SqliteHost host, CancellationToken ct)
    {
        var platform = host.Services.GetRequiredService<IContainerPlatform>();
        Assert.Equal(PlatformInfo.KubernetesDriver, (await platform.GetEngineInfoAsync(ct)).Driver);
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "On Kubernetes", kind = "terminal" }, ct))).GetProperty("id").GetInt64();
        try
        {
            await StateAsync(owner, id, "stopped", seconds: 180);
            await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null, ct));
            await StateAsync(owner, id, "running", seconds: 180);
            // The student's terminal, through the gateway, into tmux in the pod: the file is written there.
            var token = await TokenAsync(owner, ct);
            var client = host.Server.CreateWebSocketClient();
            client.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {token}";
            using (var socket = await client.ConnectAsync(new Uri($"wss://localhost/api/v1/workspaces/{id}/terminal"), ct))
            {
                var terminal = new SocketReader(socket);
                await terminal.SendTextAsync("""{"type":"resize","cols":100,"rows":30}""");
                await terminal.SendKeysAsync("echo 'kept on kubernetes' > ~/notes.txt && echo written-$((6*7))\r");
                await terminal.UntilAsync(r => r.Output.Contains("written-42", StringComparison.Ordinal), "the command's output", seconds: 60);
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", ct);
            }
            await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null, ct));
            await StateAsync(owner, id, "stopped", seconds: 120);

            // Save: the home, layered on the workspace's image, pushed under the next immutable tag.
            await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null, ct));
            await StateAsync(owner, id, "stopped", seconds: 240);
            var snapshot = Assert.Single(await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/snapshots", ct)).OkAsync<List<SnapshotDto>>());
            var registry = host.Services.GetRequiredService<RegistryClient>();
            Assert.True(registry.TryLocate(names.Snapshot(owner.Id, id, 1), out var repository, out var tag));
            var manifest = await registry.RawManifestAsync(repository, tag, ct);
            Assert.Equal(manifest.Digest, snapshot.Digest);
            using (var json = JsonDocument.Parse(manifest.Bytes))
            {
                using var config = JsonDocument.Parse(await registry.BlobBytesAsync(repository, json.RootElement.GetProperty("config").GetProperty("digest").GetString()!, ct));
                var history = config.RootElement.GetProperty("history");
                Assert.Equal(LayeredSave.CreatedBy, history[history.GetArrayLength() - 1].GetProperty("created_by").GetString());
            }
            // The snapshot holds the file: read it from the image the registry now serves.
            Assert.Equal("kept on kubernetes", await ControllerHarness.DockerAsync("run", "--rm", "--pull", "always", "--entrypoint", "cat",
                names.Snapshot(owner.Id, id, 1), "/home/classcloud/notes.txt"));

            // Idle stop: started and left alone, the idle watcher stops it (Kubernetes cannot pause).
            await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null, ct));
            await StateAsync(owner, id, "running", seconds: 180);
            var idle = Stopwatch.StartNew();
            await StateAsync(owner, id, "stopped", seconds: 240);
            output.WriteLine($"stopped after {idle.Elapsed.TotalSeconds:0} s idle");
            Assert.Equal(0, (await platform.GetAsync(names.Workload(id), ct))?.Running ?? 0);
        }
        catch
        {
            // The first failure is the one to read: the clean-up below must not replace it.
            output.WriteLine($"failed with the workspace at: {await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}", CancellationToken.None)).Content.ReadAsStringAsync(CancellationToken.None)}");
            await owner.Client.DeleteAsync($"/api/v1/workspaces/{id}", CancellationToken.None);
            throw;
        }
        await owner.Client.DeleteAsync($"/api/v1/workspaces/{id}", CancellationToken.None);
        await GoneAsync(owner, id);
    }

    static async Task<string> TokenAsync(TestUser user, CancellationToken ct)
    {
        var response = await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "real cluster", expiresInDays = 1 }, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Classcloud.Web.Accounts.CreatedTokenDto>(ct))!.Token;
    }

    static async Task Accepted(Task<HttpResponseMessage> call) => await (await call).StatusAsync(HttpStatusCode.Accepted);

    /// <summary>The engine tests' base image with a main process that waits, pushed where the cluster pulls.</summary>
    static async Task PushImageAsync()
    {
        var dir = Directory.CreateTempSubdirectory("classcloud-k8s-ws-image-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"),
                $"FROM {EngineFixture.BaseImage}\n"
                + "RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux && rm -rf /var/lib/apt/lists/*\n"
                + "CMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done\"]\n");
            await ControllerHarness.DockerAsync("build", "-q", "-t", Image, dir.FullName);
            await ControllerHarness.DockerAsync("push", Image);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
