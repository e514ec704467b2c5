using System.Text.Json.Nodes;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Platform.Tests.Kubernetes.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// The fake API server plus the Kubernetes driver chosen through configuration, reading a kubeconfig
/// written for the fake (its CA, token auth) as for a real cluster, with Classcloud's own namespace
/// holding the registry pull secret.
/// </summary>
public sealed class FakeClusterFixture : IAsyncLifetime
{
    ServiceProvider? services;
    string? directory;

    public FakeKubeApi Api { get; } = new();

    public IContainerPlatform Platform { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Api.StartAsync();
        directory = Directory.CreateTempSubdirectory("classcloud-k8s-").FullName;
        KubeconfigPath = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(KubeconfigPath, Kubeconfig(Api.Url));
        services = EngineFixture.CreateServices(new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Driver"] = "kubernetes",
            ["Classcloud:Platform:Kubernetes:Kubeconfig"] = KubeconfigPath,
            ["Classcloud:Platform:Kubernetes:RegistryPullSecret"] = "registry-pull",
            ["Classcloud:Platform:Kubernetes:StorageClass"] = "fast-ssd",
        });
        Platform = services.GetRequiredService<IContainerPlatform>();
        using var http = Api.CreateHttpClient();
        (await http.PostAsync("api/v1/namespaces", new StringContent("""{"metadata":{"name":"classcloud"}}"""))).EnsureSuccessStatusCode();
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/dockerconfigjson",
            ["metadata"] = new JsonObject { ["name"] = "registry-pull" },
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("{\"auths\":{}}"u8.ToArray()) },
        };
        (await http.PostAsync("api/v1/namespaces/classcloud/secrets", new StringContent(secret.ToJsonString()))).EnsureSuccessStatusCode();
    }

    /// <summary>A kubeconfig for <paramref name="server"/>: the fake's CA, and the token (or, with <paramref name="user"/>, that user's client certificate).</summary>
    public static string Kubeconfig(Uri server, string? caPem = null, string? user = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: {server}
            certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(caPem ?? FakeKubeApi.CaPem))}
          name: fake
        contexts:
        - context:
            cluster: fake
            namespace: classcloud
            user: tester
          name: fake
        current-context: fake
        users:
        - name: tester
          user:
        {Credentials(user)}
        """;

    static string Credentials(string? user)
    {
        if (user is null)
        {
            return $"    token: {FakeKubeApi.Token}";
        }
        using var certificate = FakeKubeApi.IssueClientCertificate(user);
        static string Data(string pem) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem));
        return $"    client-certificate-data: {Data(certificate.ExportCertificatePem())}\n    client-key-data: {Data(System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(certificate)!.ExportPkcs8PrivateKeyPem())}";
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
        await Api.DisposeAsync();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
