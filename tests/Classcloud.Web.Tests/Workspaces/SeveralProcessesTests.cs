using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Several processes on one database (issue 15), as hosts of their own on one data directory: a process that
/// joins leaves the jobs of its live peers alone and takes over those of a peer that is gone; and a web-only
/// process decides on idleness from what a gateway-only process writes, not from its own (empty) presence.
/// </summary>
public sealed class SeveralProcessesTests : IAsyncLifetime, IDisposable
{
    readonly SqliteHost root = new();

    public Task InitializeAsync() => root.InitializeAsync();

    [Fact]
    public async Task A_joining_process_leaves_a_live_peers_save_alone_and_recovers_it_once_the_peer_stops()
    {
        var owner = await root.UserAsync(TestRole.Student);
        var peer = root.Derive();
        var id = await WorkspaceRows.AddAsync(root, owner.Id, WorkspaceState.Saving, jobHolder: Identity(peer));

        var joining = root.Derive();
        await Worker(joining).RecoverAsync(CancellationToken.None);
        var kept = await WorkspaceRows.GetAsync(root, id);
        Assert.Equal(WorkspaceState.Saving, kept.State);
        Assert.Equal(Identity(peer), kept.JobHolder);

        peer.Dispose(); // a clean stop releases its liveness lease at once
        await Worker(joining).RecoverAsync(CancellationToken.None);
        var recovered = await WorkspaceRows.GetAsync(root, id);
        Assert.Equal(WorkspaceState.Stopped, recovered.State);
        Assert.Equal(WorkspaceReason.SaveInterrupted, recovered.Reason);
    }

    [Fact]
    public async Task A_crashed_holders_job_is_taken_over_once_its_lease_expires_and_by_one_process_only()
    {
        var owner = await root.UserAsync(TestRole.Student);
        const string crashed = "crashed-host-1";
        await root.WithDbAsync(async db =>
        {
            db.Leases.Add(new Lease { Name = ProcessIdentity.LeaseName(crashed), HolderId = crashed, ExpiresAt = DateTime.UtcNow.AddMinutes(5) });
            return await db.SaveChangesAsync();
        });
        var id = await WorkspaceRows.AddAsync(root, owner.Id, WorkspaceState.Saving, jobHolder: crashed);
        var (first, second) = (root.Derive(), root.Derive());
        await Worker(first).RecoverAsync(CancellationToken.None);
        Assert.Equal(WorkspaceState.Saving, (await WorkspaceRows.GetAsync(root, id)).State);

        // Its lease runs out (it never renews): both try at once; the row changes once.
        await root.WithDbAsync(db => db.Leases.Where(l => l.HolderId == crashed).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));
        await Task.WhenAll(Worker(first).RecoverAsync(CancellationToken.None), Worker(second).RecoverAsync(CancellationToken.None));
        var recovered = await WorkspaceRows.GetAsync(root, id);
        Assert.Equal(WorkspaceState.Stopped, recovered.State);
        Assert.Equal(WorkspaceReason.SaveInterrupted, recovered.Reason);
    }

    [Fact]
    public async Task A_web_only_process_keeps_a_workspace_connected_through_a_gateway_only_process_and_stops_it_once_left()
    {
        var clock = new FakeTimeProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Classcloud:Workspaces:IdleSuspendAfter"] = "00:00:00",
            ["Classcloud:Workspaces:IdleStopAfter"] = "01:00:00",
            // Only the test's own checks and beats run (their timers are far off).
            ["Classcloud:Workspaces:IdleCheckInterval"] = "10.00:00:00",
            ["Classcloud:Workspaces:PresenceHeartbeat"] = "00:30:00",
        };
        var gateway = root.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?>(settings) { ["roles"] = "gateway" });
        var web = root.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?>(settings) { ["roles"] = "web" });
        var owner = await root.UserAsync(TestRole.Student);
        var id = await WorkspaceRows.AddAsync(root, owner.Id, WorkspaceState.Running);
        var watcher = web.Services.GetServices<IHostedService>().OfType<IdleWatcher>().Single();
        var beat = gateway.Services.GetServices<IHostedService>().OfType<PresenceHeartbeat>().Single();
        Assert.Empty(web.Services.GetServices<IHostedService>().OfType<PresenceHeartbeat>());

        // Connected through the gateway process for two hours; the web process looks now and then.
        using (gateway.Services.GetRequiredService<WorkspacePresence>().Join(id, new PresenceEntry(owner.Id, "Owner", true, GatewayChannel.Terminal, clock.GetUtcNow())))
        {
            for (var hour = 0; hour < 2; hour++)
            {
                clock.Advance(TimeSpan.FromMinutes(50));
                await beat.BeatAsync(CancellationToken.None);
                Assert.True(await watcher.CheckAsync(CancellationToken.None));
                Assert.Equal(WorkspaceState.Running, (await WorkspaceRows.GetAsync(root, id)).State);
            }
        }
        await beat.BeatAsync(CancellationToken.None); // the leave is written once

        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True(await watcher.CheckAsync(CancellationToken.None));
        Assert.NotEqual(WorkspaceState.Running, (await WorkspaceRows.GetAsync(root, id)).State);
    }

    static string Identity(ClasscloudHost host) => host.Services.GetRequiredService<ProcessIdentity>().Id;

    static WorkspaceWorker Worker(ClasscloudHost host) => host.Services.GetServices<IHostedService>().OfType<WorkspaceWorker>().Single();

    public void Dispose() => root.Dispose();

    public Task DisposeAsync() => ((IAsyncLifetime)root).DisposeAsync();
}
