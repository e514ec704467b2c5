using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Platform.Tests.Kubernetes.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// The kubeconfig is read by the official client; these prove how the driver uses what it read:
/// TLS that trusts exactly the cluster's CA, a client certificate instead of a token, the explicit
/// insecure-skip-tls-verify, and a clear error for a kubeconfig that cannot be used.
/// </summary>
public sealed class KubeconfigTests(FakeClusterFixture cluster) : IClassFixture<FakeClusterFixture>
{
    static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    static async Task<T> WithPlatformAsync<T>(string kubeconfig, Func<IContainerPlatform, Task<T>> use)
    {
        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            await File.WriteAllTextAsync(path, kubeconfig);
            await using var services = EngineFixture.CreateServices(new Dictionary<string, string?>
            {
                ["Classcloud:Platform:Driver"] = "kubernetes",
                ["Classcloud:Platform:Kubernetes:Kubeconfig"] = path,
            });
            return await use(services.GetRequiredService<IContainerPlatform>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_certificate_from_the_clusters_CA_authenticates_without_a_token()
    {
        var info = await WithPlatformAsync(FakeClusterFixture.Kubeconfig(cluster.Api.Url, user: "school-admin"), p => p.GetEngineInfoAsync(Timeout()));
        Assert.Equal("v1.31.0-fake", info.Version);
        Assert.Equal(cluster.Api.Url.ToString(), info.Details["server"]);
    }

    [Fact]
    public async Task An_api_server_whose_certificate_another_CA_signed_is_not_trusted()
    {
        using var otherCa = FakeKubeApi.CreateCa("somebody-else");
        var ex = await Assert.ThrowsAsync<PlatformUnavailableException>(() =>
            WithPlatformAsync(FakeClusterFixture.Kubeconfig(cluster.Api.Url, caPem: otherCa.ExportCertificatePem()), p => p.GetEngineInfoAsync(Timeout())));
        Assert.StartsWith($"The Kubernetes API at {cluster.Api.Url} cannot be reached:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_is_honoured_when_the_kubeconfig_asks_for_it()
    {
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {cluster.Api.Url}
                insecure-skip-tls-verify: true
            contexts:
            - name: test
              context: {"{"}cluster: test, user: u{"}"}
            current-context: test
            users:
            - name: u
              user:
                token: {FakeKubeApi.Token}
            """;
        var info = await WithPlatformAsync(kubeconfig, p => p.GetEngineInfoAsync(Timeout()));
        Assert.Equal("1", info.Details["nodes"]);
    }

    [Fact]
    public async Task A_kubeconfig_without_the_configured_context_says_so()
    {
        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            await File.WriteAllTextAsync(path, FakeClusterFixture.Kubeconfig(cluster.Api.Url));
            await using var services = EngineFixture.CreateServices(new Dictionary<string, string?>
            {
                ["Classcloud:Platform:Driver"] = "kubernetes",
                ["Classcloud:Platform:Kubernetes:Kubeconfig"] = path,
                ["Classcloud:Platform:Kubernetes:Context"] = "nowhere",
            });
            var ex = Assert.Throws<PlatformInvalidRequestException>(() => services.GetRequiredService<IContainerPlatform>());
            Assert.StartsWith("The kubeconfig cannot be used:", ex.Message, StringComparison.Ordinal);
            Assert.Contains("nowhere", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
