using Classcloud.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Classcloud.Platform.Tests.Kubernetes;

public sealed class KubernetesConfigurationTests
{
    [Theory]
    [InlineData("Classcloud:Platform:Kubernetes:NamespacePrefix", "Classcloud-", "Classcloud:Platform:Kubernetes:NamespacePrefix must be up to 12 lowercase letters, digits and '-', starting with a letter or digit (got 'Classcloud-').")]
    [InlineData("Classcloud:Platform:Kubernetes:NamespacePrefix", "a-very-long-prefix-", "Classcloud:Platform:Kubernetes:NamespacePrefix must be up to 12 lowercase letters, digits and '-', starting with a letter or digit (got 'a-very-long-prefix-').")]
    [InlineData("Classcloud:Platform:Kubernetes:MemoryRequestRatio", "1.5", "Classcloud:Platform:Kubernetes:CpuRequestRatio and MemoryRequestRatio must be above 0 and at most 1.")]
    [InlineData("Classcloud:Platform:Kubernetes:Kubeconfig", "/nonexistent/kubeconfig", "Classcloud:Platform:Kubernetes:Kubeconfig names a file that does not exist: '/nonexistent/kubeconfig'.")]
    public void Bad_kubernetes_values_are_reported_with_their_key(string key, string value, string message)
    {
        using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "kubernetes", [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IContainerPlatform>());
        Assert.Contains(message, ex.Failures);
    }

    [Fact]
    public async Task The_kubernetes_driver_is_keyed_and_chosen_by_configuration()
    {
        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            await File.WriteAllTextAsync(path, FakeClusterFixture.Kubeconfig(new Uri("http://127.0.0.1:1")));
            using var services = EngineFixture.CreateServices(new Dictionary<string, string?>
            {
                ["Classcloud:Platform:Driver"] = "Kubernetes",
                ["Classcloud:Platform:Kubernetes:Kubeconfig"] = path,
            });
            var chosen = services.GetRequiredService<IContainerPlatform>();
            Assert.Same(services.GetRequiredKeyedService<IContainerPlatform>("kubernetes"), chosen);
            // Nothing listens on port 1: the API is unavailable, with its address in the message.
            var ex = await Assert.ThrowsAsync<PlatformUnavailableException>(() => chosen.GetEngineInfoAsync(CancellationToken.None));
            Assert.StartsWith("The Kubernetes API at http://127.0.0.1:1/ cannot be reached:", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
