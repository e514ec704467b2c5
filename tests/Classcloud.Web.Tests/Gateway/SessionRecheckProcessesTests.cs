using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Gateway;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>
/// Access changes made by a web-only process end or downgrade the open sessions of a gateway-only process
/// (issue 15): the gateway's SessionRecheck reads the rules from the shared database on its own timer,
/// so no notice has to travel between processes. Hosts of their own on one data directory, as in
/// SeveralProcessesTests.
/// </summary>
public sealed class SessionRecheckProcessesTests : IAsyncLifetime, IDisposable
{
    readonly SqliteHost root = new();

    public Task InitializeAsync() => root.InitializeAsync();

    [Fact]
    public async Task Guests_turned_to_view_and_a_disabled_owner_are_ended_on_a_gateway_only_process_within_seconds()
    {
        var gateway = root.Derive(configuration: new Dictionary<string, string?>
        {
            ["roles"] = "gateway",
            ["Classcloud:Workspaces:SessionRecheckInterval"] = "00:00:00.200",
        });
        var web = root.Derive(configuration: new Dictionary<string, string?> { ["roles"] = "web" });
        Assert.Empty(web.Services.GetServices<IHostedService>().OfType<SessionRecheck>());
        Assert.Single(gateway.Services.GetServices<IHostedService>().OfType<SessionRecheck>());

        var owner = await root.UserAsync(TestRole.Student);
        var guest = await root.UserAsync(TestRole.Student);
        var id = await WorkspaceRows.AddAsync(root, owner.Id, WorkspaceState.Running, WorkspaceVisibility.Public, GuestAccess.Control);
        var presence = gateway.Services.GetRequiredService<WorkspacePresence>();
        using var ownerJoined = presence.Join(id, new PresenceEntry(owner.Id, "Owner", true, GatewayChannel.Vnc, DateTimeOffset.UtcNow), out var ownerRevoked);
        using var guestJoined = presence.Join(id, new PresenceEntry(guest.Id, "Guest", true, GatewayChannel.Vnc, DateTimeOffset.UtcNow), out var guestRevoked);

        // The web process turns guests to view only: the guest in control is ended (the page reconnects watching).
        await WebWritesAsync(web, db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.GuestAccess, GuestAccess.View)));
        await EndedAsync("the guest in control", guestRevoked);
        Assert.False(ownerRevoked.IsCancellationRequested);

        // The web process disables the owner: their session ends too.
        await WebWritesAsync(web, db => db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, AccountStatus.Disabled)));
        await EndedAsync("the disabled owner", ownerRevoked);
    }

    static async Task WebWritesAsync(ClasscloudHost web, Func<ClasscloudDb, Task<int>> write)
    {
        await using var scope = web.Services.CreateAsyncScope();
        Assert.Equal(1, await write(scope.ServiceProvider.GetRequiredService<ClasscloudDb>()));
    }

    // Waits on the revocation itself (the event the bridge closes on), at most ten seconds.
    static async Task EndedAsync(string who, CancellationToken revoked)
    {
        var ended = new TaskCompletionSource();
        using var registration = revoked.Register(() => ended.TrySetResult());
        var first = await Task.WhenAny(ended.Task, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.True(first == ended.Task, $"{who} was not ended within 10 s");
    }

    public void Dispose() => root.Dispose();

    public Task DisposeAsync() => ((IAsyncLifetime)root).DisposeAsync();
}
