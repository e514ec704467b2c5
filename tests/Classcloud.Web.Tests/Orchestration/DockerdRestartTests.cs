using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>
/// Restarting dockerd stops every container on the machine, so this runs alone: xunit runs a
/// collection without parallelization after all the others, with nothing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerdRestartCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "dockerd restart";
}

[Collection(DockerdRestartCollection.Name)]
public sealed class DockerdRestartTests(EngineFixture engine)
{
    static readonly string[] Sleep = ["sleep", "infinity"];
    static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task After_dockerd_restarts_every_workload_runs_again_on_the_same_containers_none_duplicated()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var pair = harness.NewId("pair");
        var single = harness.NewId("single");
        await ControllerHarness.AddWorkloadAsync(host, pair, Sleep, replicas: 2);
        await ControllerHarness.AddWorkloadAsync(host, single, Sleep);
        var before = new[] { await harness.RunningAsync(pair), await harness.RunningAsync(single) };

        bool wentDown;
        try
        {
            var stop = await HostShell.LibAsync("stop_docker", RestartTimeout);
            Assert.True(stop.Code == 0, stop.Output);
            wentDown = await EngineDownAsync(harness.Engine);
        }
        finally
        {
            // Whatever happened above, the engine must be back for everything that runs after.
            var start = await HostShell.LibAsync("start_docker", RestartTimeout);
            Assert.True(start.Code == 0, start.Output);
        }
        Assert.True(wentDown, "the engine stopped answering while dockerd was stopped");

        foreach (var old in before)
        {
            var now = await ControllerHarness.EventuallyAsync(async () =>
            {
                var s = await harness.Engine.GetAsync(old.Id, CancellationToken.None);
                return s is not null && s.Running == old.Instances.Count
                    && s.Instances.All(i => i.StartedAt > old.Instances.Max(o => o.StartedAt)) ? s : null;
            }, $"{old.Id} running again after the dockerd restart", seconds: 120);
            // Adopted: the very same containers were started again, none made anew.
            Assert.Equal(old.Instances.Select(i => i.InstanceId).Order(), now.Instances.Select(i => i.InstanceId).Order());
        }
        var ours = await harness.Engine.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = harness.Scope }, CancellationToken.None);
        Assert.Equal(new[] { pair, single }, ours.Select(w => w.Id.Value).Order());
        Assert.Equal(3, ours.Sum(w => w.Instances.Count));
    }

    static async Task<bool> EngineDownAsync(IContainerPlatform platform)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await platform.GetEngineInfoAsync(timeout.Token);
            return false;
        }
        catch (PlatformUnavailableException)
        {
            return true;
        }
    }
}
