using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Platform.Tests.Kubernetes;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>
/// The web host with the Kubernetes driver pointed at a real cluster (<c>CLASSCLOUD_K8S_E2E</c>):
/// a browser terminal through the gateway WebSocket reaches tmux in a pod, and tmux follows the
/// browser's size. The image (the engine tests' base image plus tmux) is built with the local
/// Docker engine and pushed to the loopback registry, which the cluster pulls from.
/// </summary>
public sealed class RealClusterGatewayTests
{
    const string Image = $"{EngineFixture.Registry}/classcloud-test/tmux:1";
    static readonly string[] Idle = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

    [ClusterFact]
    public async Task A_browser_terminal_reaches_tmux_in_a_pod_of_a_real_cluster_through_the_gateway()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        await PushImageAsync(ct);
        var root = new SqliteHost();
        try
        {
            await RunAsync(root, ct);
        }
        finally
        {
            await ((IAsyncLifetime)root).DisposeAsync();
        }
    }

    static async Task RunAsync(SqliteHost root, CancellationToken ct)
    {
        root.Configure("Classcloud:Platform:Enabled", "true");
        root.Configure("roles", "web,gateway");
        root.Configure("Classcloud:Platform:Driver", "kubernetes");
        root.Configure("Classcloud:Platform:Kubernetes:Kubeconfig", Environment.GetEnvironmentVariable(ClusterFactAttribute.Variable));
        root.Configure("Classcloud:Platform:Kubernetes:NamespacePrefix", "cc-e2e-");
        await root.InitializeAsync();
        var targets = new FakeTargets();
        var host = root.Derive(s => s.AddSingleton<IGatewayTargets>(targets));
        var platform = host.Services.GetRequiredService<IContainerPlatform>();
        Assert.Equal(PlatformInfo.KubernetesDriver, (await platform.GetEngineInfoAsync(ct)).Driver);

        var tenant = $"gw-{Guid.NewGuid():N}"[..16];
        var spec = new WorkloadSpec
        {
            Id = new WorkloadId(tenant + "-ws"),
            Image = Image,
            Command = Idle,
            Tenant = tenant,
            Resources = new WorkloadResources(Cpus: 0.5, MemoryBytes: 128L * 1024 * 1024),
            StopGracePeriod = TimeSpan.FromSeconds(2),
        };
        try
        {
            await platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, ct);
            await platform.EnsureAsync(spec, ct);
            while ((await platform.GetAsync(spec.Id, ct))?.Running != 1)
            {
                await Task.Delay(500, ct);
            }
            var (owner, token) = await TokenUserAsync(host);
            var id = targets.Add(spec.Id, owner, viewer: -1);
            var client = host.Server.CreateWebSocketClient();
            client.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {token}";
            var terminal = new SocketReader(await client.ConnectAsync(new Uri($"wss://localhost/api/v1/workspaces/{id}/terminal"), ct));

            await terminal.SendTextAsync("""{"type":"resize","cols":132,"rows":41}""");
            await terminal.SendKeysAsync("echo round-$((6*7))-trip\r");
            await terminal.UntilAsync(r => r.Output.Contains("round-42-trip", StringComparison.Ordinal), "the command's output", seconds: 60);
            // tmux's window follows the browser (its status line takes one row).
            var size = "";
            for (var i = 0; i < 100 && size != "132x40"; i++)
            {
                size = (await platform.RunAsync(spec.Id, new ExecRequest { Command = ["tmux", "display", "-p", "-t", "main", "#{window_width}x#{window_height}"] }, ct)).Stdout.Trim();
                await Task.Delay(size == "132x40" ? 0 : 100, ct);
            }
            Assert.Equal("132x40", size);
        }
        finally
        {
            await platform.RemoveAsync(spec.Id, CancellationToken.None);
            await platform.RemoveTenantNetworkAsync(tenant, CancellationToken.None);
        }
    }

    static async Task<(long, string)> TokenUserAsync(ClasscloudHost host)
    {
        var user = await host.UserAsync(TestRole.Student);
        var response = await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "real cluster", expiresInDays = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (user.Id, (await response.Content.ReadFromJsonAsync<Classcloud.Web.Accounts.CreatedTokenDto>())!.Token);
    }

    /// <summary>Builds the image with the Docker engine (FROM the engine tests' base image) and pushes it where the cluster pulls.</summary>
    static async Task PushImageAsync(CancellationToken ct)
    {
        await using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "docker" });
        var docker = services.GetRequiredService<IContainerPlatform>();
        if (await docker.InspectImageAsync(Image, ct) is null)
        {
            using var context = new MemoryStream();
            await using (var tar = new TarWriter(context, leaveOpen: true))
            {
                var dockerfile = $"FROM {EngineFixture.BaseImage}\nRUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux && rm -rf /var/lib/apt/lists/*\n";
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) }, ct);
            }
            context.Position = 0;
            await docker.BuildImageAsync(context, new ImageBuildRequest { Tag = Image }, null, ct);
        }
        await docker.PushImageAsync(Image, null, null, ct);
    }
}
