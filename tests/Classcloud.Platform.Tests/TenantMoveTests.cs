using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Platform.Tests;

/// <summary>
/// The Docker driver's tenant move (the workspace warm pool hands a running container to its owner): after a
/// move the workload reaches the new tenant's workloads and not the old one's, keeps running (same container),
/// and counts as specified for the new tenant, so creating it for that tenant does not replace it.
/// </summary>
public sealed class TenantMoveTests(EngineFixture engine, ITestOutputHelper output) : EngineTest(engine, output)
{
    static readonly string[] Listener = ["bash", "-c", "trap 'exit 0' TERM; nc -lk 8080 & wait $!"];

    [Fact]
    public async Task A_moved_workload_reaches_the_new_tenant_and_not_the_old_one_without_being_recreated()
    {
        Assert.True(Platform.Features.TenantMove);
        var pool = await NewTenantAsync("pool");
        var owner = await NewTenantAsync("owner");
        var oldNeighbour = Spec("oldn", Listener) with { Tenant = pool };
        var newNeighbour = Spec("newn", Listener) with { Tenant = owner };
        var moved = Spec("moved") with { Tenant = pool };
        await Task.WhenAll(Platform.EnsureAsync(oldNeighbour, Timeout()), Platform.EnsureAsync(newNeighbour, Timeout()), Platform.EnsureAsync(moved, Timeout()));
        var before = Assert.Single((await Platform.GetAsync(moved.Id, Timeout()))!.Instances);
        Assert.Equal("connected\n", (await ConnectAsync(moved.Id, oldNeighbour.Id.Value)).Stdout);
        Assert.NotEqual(0, (await ConnectAsync(moved.Id, newNeighbour.Id.Value)).ExitCode);

        await Platform.MoveTenantAsync(moved.Id, owner, Timeout());
        await Platform.MoveTenantAsync(moved.Id, owner, Timeout()); // idempotent

        var after = await Platform.GetAsync(moved.Id, Timeout());
        Assert.Equal(before.InstanceId, Assert.Single(after!.Instances).InstanceId);
        Assert.Equal(InstanceState.Running, after.Instances[0].State);
        Assert.Equal(owner, after.Spec!.Tenant);
        Assert.Equal("connected\n", (await ConnectAsync(moved.Id, newNeighbour.Id.Value)).Stdout);
        // The new neighbours find it by its workload id too.
        Assert.Equal("ok\n", (await RunAsync(newNeighbour.Id, "bash", "-c", $"getent hosts {moved.Id.Value} >/dev/null && echo ok")).Stdout);
        var oldAddress = Assert.Single((await Platform.GetAsync(oldNeighbour.Id, Timeout()))!.Instances).Address;
        Assert.NotEqual(0, (await ConnectAsync(moved.Id, oldNeighbour.Id.Value)).ExitCode);
        Assert.NotEqual(0, (await ConnectAsync(moved.Id, oldAddress!)).ExitCode);

        // Ensured for the new tenant it is kept; for the old tenant it moves back (a move, not a new container either).
        var ensured = await Platform.EnsureAsync(moved with { Tenant = owner }, Timeout());
        Assert.Equal(before.InstanceId, Assert.Single(ensured.Instances).InstanceId);
        ensured = await Platform.EnsureAsync(moved, Timeout());
        Assert.Equal(before.InstanceId, Assert.Single(ensured.Instances).InstanceId);
        Assert.Equal(pool, (await Platform.GetAsync(moved.Id, Timeout()))!.Spec!.Tenant);
        Assert.Equal("connected\n", (await ConnectAsync(moved.Id, oldNeighbour.Id.Value)).Stdout);

        // Anything else that changes still replaces it.
        var changed = await Platform.CreateAsync(moved with { Tenant = owner, Resources = moved.Resources with { Pids = 65 } }, Timeout());
        Assert.NotEqual(before.InstanceId, Assert.Single(changed.Instances).InstanceId);

        await Assert.ThrowsAsync<PlatformNotFoundException>(() => Platform.MoveTenantAsync(NewId("none"), owner, Timeout()));
    }

    [Fact]
    public async Task A_workload_on_no_network_moves_to_a_tenant_and_counts_as_specified_there()
    {
        // The warm pool's containers wait on no network at all; a claim moves them to their owner's.
        var owner = await NewTenantAsync("owner");
        var neighbour = Spec("nbr", Listener) with { Tenant = owner };
        var alone = Spec("alone");
        await Task.WhenAll(Platform.EnsureAsync(neighbour, Timeout()), Platform.EnsureAsync(alone, Timeout()));
        var before = Assert.Single((await Platform.GetAsync(alone.Id, Timeout()))!.Instances);
        Assert.Null(before.Address);
        Assert.NotEqual(0, (await ConnectAsync(alone.Id, neighbour.Id.Value)).ExitCode);

        await Platform.MoveTenantAsync(alone.Id, owner, Timeout());
        await Platform.MoveTenantAsync(alone.Id, owner, Timeout()); // idempotent

        var after = await Platform.GetAsync(alone.Id, Timeout());
        Assert.Equal(before.InstanceId, Assert.Single(after!.Instances).InstanceId);
        Assert.Equal(owner, after.Spec!.Tenant);
        Assert.NotNull(after.Instances[0].Address);
        Assert.Equal("connected\n", (await ConnectAsync(alone.Id, neighbour.Id.Value)).Stdout);
        // Ensured for its new tenant (what the reconciler does after a claim) it is kept, not recreated.
        Assert.Equal(before.InstanceId, Assert.Single((await Platform.EnsureAsync(alone with { Tenant = owner }, Timeout())).Instances).InstanceId);
    }

    [Fact]
    public async Task Ensuring_a_no_network_workload_for_a_tenant_moves_it_there_as_the_reconciler_would()
    {
        var owner = await NewTenantAsync("owner");
        var alone = Spec("alone2");
        var before = Assert.Single((await Platform.EnsureAsync(alone, Timeout())).Instances);
        var ensured = await Platform.EnsureAsync(alone with { Tenant = owner }, Timeout());
        Assert.Equal(before.InstanceId, Assert.Single(ensured.Instances).InstanceId);
        Assert.Equal(owner, (await Platform.GetAsync(alone.Id, Timeout()))!.Spec!.Tenant);
    }

    Task<ExecResult> ConnectAsync(WorkloadId from, string to) =>
        RunAsync(from, "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{to}/8080 && echo connected");
}
