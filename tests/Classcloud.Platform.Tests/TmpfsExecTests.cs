using Classcloud.Platform.Docker;

namespace Classcloud.Platform.Tests;

/// <summary>
/// A tmpfs is noexec on Docker unless asked (the grader's work directory asks, so a compiled submission can run its
/// binary), and the new flag stays out of the stored spec when unset, so existing workloads keep their spec hash.
/// </summary>
public sealed class TmpfsExecTests
{
    static readonly WorkloadSpec Plain = new() { Id = new WorkloadId("ws-tmpfs"), Image = "classcloud-test/base:1", Tmpfs = [new TmpfsMount("/work", 1024 * 1024)] };

    [Fact]
    public void Only_a_tmpfs_that_asks_for_it_is_mounted_exec()
    {
        var plain = ContainerRequests.Create(Plain, 0, new WorkloadDefaults()).HostConfig.Tmpfs!["/work"];
        var exec = ContainerRequests.Create(Plain with { Tmpfs = [new TmpfsMount("/work", 1024 * 1024, Exec: true)] }, 0, new WorkloadDefaults()).HostConfig.Tmpfs!["/work"];
        Assert.DoesNotContain("exec", plain.Split(','));
        Assert.Contains("exec", exec.Split(','));
        Assert.Contains("nosuid", exec.Split(','));
    }

    [Fact]
    public void An_unset_flag_leaves_the_stored_spec_as_it_was()
    {
        Assert.DoesNotContain("Exec", ContainerRequests.SpecJson(Plain), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(ContainerRequests.SpecHash(Plain), ContainerRequests.SpecHash(Plain with { Tmpfs = [new TmpfsMount("/work", 1024 * 1024, Exec: true)] }));
    }
}
