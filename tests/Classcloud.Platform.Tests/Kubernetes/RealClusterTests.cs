using System.Text;
using System.Text.RegularExpressions;
using Classcloud.Platform.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// The driver against a real cluster named by <c>CLASSCLOUD_K8S_E2E=&lt;kubeconfig&gt;</c>; the image
/// (any with sh and sleep that runs as uid 1000) is <c>CLASSCLOUD_K8S_E2E_IMAGE</c>, by default
/// Debian's from Docker Hub. Everything is made in a tenant namespace of its own and removed.
/// </summary>
public sealed class RealClusterTests(ITestOutputHelper output)
{
    [ClusterFact]
    public async Task Start_exec_stop_remove_on_a_real_cluster()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(ClusterFactAttribute.Variable)!;
        var image = Environment.GetEnvironmentVariable("CLASSCLOUD_K8S_E2E_IMAGE") is { Length: > 0 } i ? i : "docker.io/library/debian:bookworm-slim";
        await using var services = EngineFixture.CreateServices(new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Driver"] = "kubernetes",
            ["Classcloud:Platform:Kubernetes:Kubeconfig"] = kubeconfig,
            ["Classcloud:Platform:Kubernetes:NamespacePrefix"] = "cc-e2e-",
        });
        var platform = services.GetRequiredService<IContainerPlatform>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        var info = await platform.GetEngineInfoAsync(ct);
        output.WriteLine($"Cluster {info.Version}: {info.Details["nodes"]} nodes, {info.Cpus} CPUs");

        var tenant = $"e2e-{Guid.NewGuid():N}"[..20];
        var secret = $"s3cret-{Guid.NewGuid():N}";
        await platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, ct);
        var spec = new WorkloadSpec
        {
            Id = new WorkloadId(tenant + "-w"),
            Image = image,
            Command = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"],
            Tenant = tenant,
            Resources = new WorkloadResources(Cpus: 0.2, MemoryBytes: 64L * 1024 * 1024),
            StopGracePeriod = TimeSpan.FromSeconds(5),
            SecretEnvironment = new Dictionary<string, string> { ["CC_SECRET"] = secret },
        };
        using var kube = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var ns = "cc-e2e-" + tenant;
        try
        {
            await platform.EnsureAsync(spec, ct);
            WorkloadStatus? status;
            do
            {
                await Task.Delay(1000, ct);
                status = await platform.GetAsync(spec.Id, ct);
                output.WriteLine($"{status?.Instances[0].State}: {status?.Instances[0].Reason}");
            }
            while (status?.Running != 1);

            var result = await platform.RunAsync(spec.Id, new ExecRequest { Command = ["sh", "-c", "echo out; echo err >&2; id -u; exit 3"] }, ct);
            Assert.Equal(new ExecResult(3, "out\n1000\n", "err\n", false), result);

            // A secret value reaches the process from the workload's Secret; the Deployment only names it.
            Assert.Equal(secret, (await platform.RunAsync(spec.Id, new ExecRequest { Command = ["sh", "-c", "printf '%s' \"$CC_SECRET\""] }, ct)).Stdout);
            var deployment = await kube.AppsV1.ReadNamespacedDeploymentAsync(spec.Id.Value, ns, cancellationToken: ct);
            Assert.DoesNotContain(secret, KubernetesJson.Serialize(deployment), StringComparison.Ordinal);
            var stored = await kube.CoreV1.ReadNamespacedSecretAsync(spec.Id.Value + "-env", ns, cancellationToken: ct);
            Assert.Equal(secret, Encoding.UTF8.GetString(stored.Data["CC_SECRET"]));

            // The size is asked for right after the socket opens and the keys follow at once. The node
            // applies a size (resize channel → CRI → the shim's ioctl) on a path of its own, unordered
            // with stdin, so the first `stty size` may still run before it lands (2 of 20 in one run said
            // "0 0" even with the size sent again at the first output). What a terminal needs is that the
            // size takes effect and stays: each round asks until the shell reports it, at most five times.
            var late = 0;
            for (var round = 0; round < 20; round++)
            {
                await using var session = await platform.ExecAsync(spec.Id, new ExecRequest { Command = ["sh"], Tty = true }, ct);
                await session.ResizeAsync(101, 31, ct);
                var text = new StringBuilder();
                var asked = 0;
                string size;
                do
                {
                    size = await AskSizeAsync(session, text, ct);
                    asked++;
                }
                while (size != "31 101" && asked < 5);
                Assert.True(size == "31 101", $"Round {round}: the shell still said \"{size}\" after {asked} asks:\n{text}");
                late += asked > 1 ? 1 : 0;
                await session.WriteAsync("exit 4\r"u8.ToArray(), ct);
                var buffer = new byte[4096];
                while ((await session.ReadAsync(buffer, ct)).Count > 0)
                {
                }
                Assert.Equal(4, await session.GetExitCodeAsync(ct));
            }
            output.WriteLine($"Terminal size: in force at the first ask in {20 - late} of 20 rounds, at a later ask in {late}.");

            await platform.StopAsync(spec.Id, ct);
            Assert.Equal(0, (await platform.GetAsync(spec.Id, ct))!.Running);
            Assert.True(await platform.RemoveAsync(spec.Id, ct));
            Assert.Null(await platform.GetAsync(spec.Id, ct));
            var gone = await Assert.ThrowsAsync<HttpOperationException>(() => kube.CoreV1.ReadNamespacedSecretAsync(spec.Id.Value + "-env", ns, cancellationToken: ct));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Response.StatusCode); // the Secret went with the workload
        }
        finally
        {
            await platform.RemoveAsync(spec.Id, CancellationToken.None);
            await platform.RemoveTenantNetworkAsync(tenant, CancellationToken.None);
        }
    }

    static readonly Regex SizeLine = new(@"\n(\d+ \d+)\r\n", RegexOptions.CultureInvariant);

    /// <summary>Types <c>stty size</c> and reads until the shell prints its answer (rows, columns).</summary>
    static async Task<string> AskSizeAsync(IStreamSession session, StringBuilder text, CancellationToken ct)
    {
        var start = text.Length;
        await session.WriteAsync("stty size\r"u8.ToArray(), ct);
        var buffer = new byte[4096];
        Match match;
        while (!(match = SizeLine.Match(text.ToString(start, text.Length - start))).Success)
        {
            var read = await session.ReadAsync(buffer, ct);
            Assert.True(read.Count > 0, $"The shell ended before it said its size:\n{text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
        return match.Groups[1].Value;
    }
}
