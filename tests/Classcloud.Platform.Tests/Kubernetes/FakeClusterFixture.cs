using System.Text.Json.Nodes;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Platform.Tests.Kubernetes.Fake;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>
/// The fake API server plus the Kubernetes driver chosen through configuration, reading a kubeconfig
/// written for the fake (token auth), with Classcloud's own namespace holding the registry pull secret.
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
        using var http = new HttpClient { BaseAddress = Api.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", FakeKubeApi.Token);
        (await http.PostAsync("api/v1/namespaces", new StringContent("""{"metadata":{"name":"classcloud"}}"""))).EnsureSuccessStatusCode();
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/dockerconfigjson",
            ["metadata"] = new JsonObject { ["name"] = "registry-pull" },
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String("{\"auths\":{}}"u8.ToArray()) },
        };
        (await http.PostAsync("api/v1/namespaces/classcloud/secrets", new StringContent(secret.ToJsonString()))).EnsureSuccessStatusCode();
    }

    public static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: {server}
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
            token: {FakeKubeApi.Token}
        """;

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
