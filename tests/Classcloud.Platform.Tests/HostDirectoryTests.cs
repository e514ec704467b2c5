using Classcloud.Platform.Docker;

namespace Classcloud.Platform.Tests;

/// <summary>
/// Host directories (the workspace command's folder): always mounted read-only on Docker, absolute and free of
/// "..", and absent from the stored spec when unset, so every workload made before them keeps its spec hash.
/// </summary>
public sealed class HostDirectoryTests
{
    static readonly WorkloadSpec Plain = new() { Id = new WorkloadId("ws-plain"), Image = "classcloud-test/base:1" };

    [Fact]
    public void A_host_directory_is_a_read_only_bind_mount()
    {
        var spec = Plain with { HostDirectories = [new HostDirectoryMount("/var/lib/classcloud/workspace-cli", "/opt/classcloud")] };
        SecurityDefaults.Validate(spec);
        var mount = Assert.Single(ContainerRequests.Create(spec, 0, new WorkloadDefaults()).HostConfig.Mounts!);
        Assert.Equal(("bind", "/var/lib/classcloud/workspace-cli", "/opt/classcloud", true), (mount.Type, mount.Source, mount.Target, mount.ReadOnly));
        Assert.NotEqual(ContainerRequests.SpecHash(Plain), ContainerRequests.SpecHash(spec));
    }

    [Fact]
    public void Unset_host_directories_leave_the_stored_spec_as_it_was() =>
        Assert.DoesNotContain("HostDirectories", ContainerRequests.SpecJson(Plain), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("relative/dir", "/opt/x")]
    [InlineData("/var/../etc", "/opt/x")]
    [InlineData("/", "/opt/x")]
    [InlineData("/var/lib/x", "opt/x")]
    public void A_host_directory_needs_absolute_paths_without_dot_dot(string host, string path) =>
        Assert.Throws<ArgumentException>(() => SecurityDefaults.Validate(Plain with { HostDirectories = [new HostDirectoryMount(host, path)] }));
}
