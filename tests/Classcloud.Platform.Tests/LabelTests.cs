using Classcloud.Platform;

namespace Classcloud.Platform.Tests;

public sealed class LabelTests
{
    // Every object Classcloud creates carries this prefix; the reconciler removes only what has it.
    [Fact]
    public void Label_prefix_is_a_valid_kubernetes_and_docker_label_prefix() =>
        Assert.Matches(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/$", PlatformInfo.LabelPrefix);
}
