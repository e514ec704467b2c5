using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Orchestration;

/// <summary>The reconciler against the real engine (SQLite is enough here; the lease runs on both providers in LeaseTests).</summary>
[Collection(EngineCollection.Name)]
public sealed class ReconcilerTests(EngineFixture engine)
{
    static readonly string[] Sleep = ["sleep", "infinity"];

    [Fact]
    public async Task A_killed_container_is_restarted()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var id = harness.NewId("kill");
        await ControllerHarness.AddWorkloadAsync(host, id, Sleep);
        var first = await harness.RunningAsync(id);

        await ControllerHarness.DockerAsync("kill", first.Instances[0].InstanceId);

        var again = await ControllerHarness.EventuallyAsync(async () =>
        {
            var s = await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None);
            return s is { Running: 1 } && s.Instances[0].StartedAt > first.Instances[0].StartedAt ? s : null;
        }, "restarted after the kill");
        Assert.Equal(first.Instances[0].InstanceId, again.Instances[0].InstanceId); // restarted, not recreated
        var row = await ControllerHarness.EventuallyAsync(async () =>
            await ControllerHarness.RowAsync(host, id) is { ObservedState: WorkloadStates.Running } r ? r : null, "row observed running");
        Assert.Equal(1, row.RestartCount);
        Assert.False(row.CrashLoop);
        Assert.Equal("Replica 0 exited with code 137.", row.LastError);
    }

    [Fact]
    public async Task A_crash_looping_workload_backs_off_is_flagged_and_raises_one_alert()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var id = harness.NewId("crash");
        var started = DateTime.UtcNow;
        await ControllerHarness.AddWorkloadAsync(host, id, ["false"]);

        var row = await ControllerHarness.EventuallyAsync(async () =>
            await ControllerHarness.RowAsync(host, id) is { CrashLoop: true } r ? r : null, "crash loop flagged");
        Assert.Equal(3, row.WindowRestarts);
        Assert.Equal("Replica 0 exited with code 1.", row.LastError);
        Assert.Equal(WorkloadStates.CrashLoop, row.ObservedState);
        // Backoff: 0.2 s, 0.4 s, then 0.8 s (the cap) before the third restart.
        Assert.True(row.NextRetryAt - row.RestartWindowStartedAt >= TimeSpan.FromSeconds(0.6),
            $"window {row.RestartWindowStartedAt:O}, next retry {row.NextRetryAt:O}");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.6));
        var alert = Assert.Single(await ControllerHarness.AlertsAsync(host, id));
        Assert.Equal("crash-loop", alert.Kind);
        Assert.Null(alert.AcknowledgedAt);

        // It keeps being retried at the capped backoff, but the alert is not repeated.
        await ControllerHarness.EventuallyAsync(async () =>
            await ControllerHarness.RowAsync(host, id) is { RestartCount: >= 5 } r ? r : null, "retries continue");
        Assert.Single(await ControllerHarness.AlertsAsync(host, id));
    }

    [Fact]
    public async Task Changing_the_row_scales_the_workload_and_stops_it()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var id = harness.NewId("scale");
        await ControllerHarness.AddWorkloadAsync(host, id, Sleep);
        var one = await harness.RunningAsync(id);
        Assert.Single(one.Instances);

        await ChangeAsync(host, id, w => w.SpecJson = new WorkloadDefinition { Image = EngineFixture.BaseImage, Command = Sleep, Replicas = 2 }.ToJson());
        var two = await ControllerHarness.EventuallyAsync(async () =>
            await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None) is { Running: 2 } s ? s : null, "scaled to two");
        Assert.Equal(one.Instances[0].InstanceId, two.Instances[0].InstanceId);

        await ChangeAsync(host, id, w => w.DesiredState = WorkloadStates.Stopped);
        var stopped = await ControllerHarness.EventuallyAsync(async () =>
            await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None) is { Running: 0 } s ? s : null, "stopped");
        Assert.Equal(2, stopped.Instances.Count);
        var row = await ControllerHarness.EventuallyAsync(async () =>
            await ControllerHarness.RowAsync(host, id) is { ObservedState: WorkloadStates.Stopped } r ? r : null, "row observed stopped");
        Assert.Equal(0, row.RestartCount);   // a stop we asked for is not a crash
    }

    static async Task ChangeAsync(ClasscloudHost host, string id, Action<Workload> change)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var row = await db.Workloads.SingleAsync(w => w.Id == id);
        change(row);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task After_a_host_restart_running_containers_are_adopted_not_duplicated()
    {
        await using var harness = new ControllerHarness(engine);
        var first = await harness.StartHostAsync();
        var id = harness.NewId("adopt");
        await ControllerHarness.AddWorkloadAsync(first, id, Sleep, replicas: 2);
        var before = await harness.RunningAsync(id);
        Assert.Equal(2, before.Instances.Count);
        await first.DisposeAsync();

        var second = await harness.StartHostAsync();
        var state = second.Services.GetRequiredService<ControllerState>();
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(state.Passes >= 3 ? state : null), "three passes on the new host");

        var after = await harness.Engine.ListAsync(new Dictionary<string, string> { [PlatformInfo.WorkloadLabel] = id }, CancellationToken.None);
        var workload = Assert.Single(after);
        Assert.Equal(before.Instances.Select(i => i.InstanceId), workload.Instances.Select(i => i.InstanceId));
        Assert.Equal(2, workload.Running);
        Assert.Equal(0, (await ControllerHarness.RowAsync(second, id)).RestartCount);
    }

    [Fact]
    public async Task Orphans_with_our_labels_are_removed_and_foreign_containers_left_alone()
    {
        await using var harness = new ControllerHarness(engine);
        var orphan = new WorkloadId(harness.NewId("orphan"));
        await harness.Engine.EnsureAsync(new WorkloadSpec
        {
            Id = orphan, Image = EngineFixture.BaseImage, Command = Sleep,
            Labels = new Dictionary<string, string> { [ControllerLabels.Scope] = harness.Scope },
        }, CancellationToken.None);
        // Classcloud's, but another installation's (another scope): not ours to remove.
        var other = new WorkloadId(harness.NewId("other"));
        await harness.Engine.EnsureAsync(new WorkloadSpec
        {
            Id = other, Image = EngineFixture.BaseImage, Command = Sleep,
            Labels = new Dictionary<string, string> { [ControllerLabels.Scope] = harness.Scope + "-x" },
        }, CancellationToken.None);
        var plain = await harness.PlainContainerAsync();
        try
        {
            var host = await harness.StartHostAsync();
            await ControllerHarness.EventuallyAsync(async () =>
                await harness.Engine.GetAsync(orphan, CancellationToken.None) is null ? orphan.Value : null, "orphan removed");
            var state = host.Services.GetRequiredService<ControllerState>();
            var passes = state.Passes;
            await ControllerHarness.EventuallyAsync(() => Task.FromResult(state.Passes >= passes + 3 ? state : null), "three more passes");

            Assert.Equal(1, (await harness.Engine.GetAsync(other, CancellationToken.None))?.Running);
            Assert.Equal("true", await ControllerHarness.DockerAsync("inspect", "-f", "{{.State.Running}}", plain));
        }
        finally
        {
            await harness.Engine.RemoveAsync(other, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Of_two_hosts_only_one_leads_and_the_other_takes_over_when_it_stops()
    {
        await using var harness = new ControllerHarness(engine);
        var a = await harness.StartHostAsync();
        var b = await harness.StartHostAsync();
        var stateA = a.Services.GetRequiredService<ControllerState>();
        var stateB = b.Services.GetRequiredService<ControllerState>();
        var leader = await ControllerHarness.EventuallyAsync(() => Task.FromResult(
            stateA.Passes >= 3 ? stateA : stateB.Passes >= 3 ? stateB : null), "a leader reconciling");
        var follower = leader == stateA ? stateB : stateA;
        await ControllerHarness.PassesAsync(leader, 3);
        Assert.True(leader.IsLeader);
        Assert.False(follower.IsLeader);
        Assert.Equal(0, follower.Passes);

        await (leader == stateA ? a : b).DisposeAsync();
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(follower.Passes >= 1 ? follower : null), "the follower takes over", seconds: 20);
        Assert.True(follower.IsLeader);
    }
}
