using Classcloud.Platform;

namespace Classcloud.Platform.Tests;

public sealed class LabelTests
{
    // Every object Classcloud creates carries this prefix; the reconciler removes only what has it.
    [Fact]
    public void Label_prefix_is_a_valid_kubernetes_and_docker_label_prefix() =>
        Assert.Matches(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/$", PlatformInfo.LabelPrefix);
}

public sealed class BridgeNameTests
{
    // The host firewall matches cc-+; Linux refuses interface names longer than 15 characters.
    [Theory]
    [InlineData("a")]
    [InlineData("course-7")]
    [InlineData("t-a-very-long-tenant-name-that-uses-all-fifty-ch")]
    public void A_tenant_bridge_is_cc_and_12_hex_digits_stable_and_distinct(string tenant)
    {
        var bridge = Classcloud.Platform.Docker.ContainerRequests.BridgeName(tenant);
        Assert.Matches("^cc-[0-9a-f]{12}$", bridge);
        Assert.Equal(bridge, Classcloud.Platform.Docker.ContainerRequests.BridgeName(tenant));
        Assert.NotEqual(bridge, Classcloud.Platform.Docker.ContainerRequests.BridgeName(tenant + "x"));
    }
}
