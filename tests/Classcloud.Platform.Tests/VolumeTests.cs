using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

public sealed class VolumeTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    [Fact]
    public async Task A_file_on_a_volume_survives_removing_and_recreating_the_workload()
    {
        var volume = NewName("home");
        var info = await Platform.EnsureVolumeAsync(volume, RunLabels, Timeout());
        Assert.Equal(volume, info.Name);
        Assert.Equal(RunLabels["classcloud.io/test-run"], info.Labels["classcloud.io/test-run"]);
        Assert.Equal(volume, (await Platform.EnsureVolumeAsync(volume, RunLabels, Timeout())).Name);  // idempotent

        var spec = Spec("vol") with { Volumes = [new VolumeMount(volume, "/home/classcloud")] };
        await Platform.EnsureAsync(spec, Timeout());
        // A new volume takes the image's owner of the mount point, so the non-root user can write.
        var write = await RunAsync(spec.Id, "bash", "-c", "echo kept > /home/classcloud/note && stat -c %u /home/classcloud");
        Assert.Equal("1000\n", write.Stdout);
        await Platform.RemoveAsync(spec.Id, Timeout());

        var again = Spec("vol2") with { Volumes = [new VolumeMount(volume, "/data", ReadOnly: true)] };
        await Platform.EnsureAsync(again, Timeout());
        Assert.Equal("kept\n", (await RunAsync(again.Id, "cat", "/data/note")).Stdout);
        Assert.NotEqual(0, (await RunAsync(again.Id, "touch", "/data/other")).ExitCode);  // read-only mount

        Assert.Equal(volume, Assert.Single(await Platform.ListVolumesAsync(RunLabels, Timeout())).Name);
        var inUse = await Assert.ThrowsAsync<PlatformConflictException>(() => Platform.RemoveVolumeAsync(volume, Timeout()));
        Assert.Contains("in use", inUse.Message, StringComparison.Ordinal);

        await Platform.RemoveAsync(again.Id, Timeout());
        Assert.True(await Platform.RemoveVolumeAsync(volume, Timeout()));
        Assert.False(await Platform.RemoveVolumeAsync(volume, Timeout()));
        Assert.Empty(await Platform.ListVolumesAsync(RunLabels, Timeout()));
    }
}
