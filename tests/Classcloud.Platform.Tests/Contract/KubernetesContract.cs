using Classcloud.Platform.Tests.Kubernetes;

namespace Classcloud.Platform.Tests.Contract;

/// <summary>The platform contract on the Kubernetes driver, against the loopback fake API server.</summary>
public sealed class KubernetesContract(FakeClusterFixture cluster) : PlatformContract, IClassFixture<FakeClusterFixture>
{
    protected override IContainerPlatform Platform => cluster.Platform;

    protected override string Image => "registry.example/classcloud/test:1";
}
