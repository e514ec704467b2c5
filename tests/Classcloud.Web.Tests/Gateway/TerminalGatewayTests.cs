using System.Net;
using System.Net.WebSockets;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Gateway;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The terminal WebSocket into real containers running tmux, and the refusals before the upgrade.</summary>
[Collection(EngineCollection.Name)]
public sealed class TerminalGatewayTests(EngineFixture engine, GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    static readonly string[] Idle = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"];

    IContainerPlatform Platform => gateway.Platform;

    async Task<SocketReader> ConnectAsync(long workspace, string token, string path = "terminal")
    {
        Assert.NotNull(engine.Platform);
        var socket = await gateway.Sockets(token).ConnectAsync(new Uri($"wss://localhost/api/v1/workspaces/{workspace}/{path}"), CancellationToken.None);
        return new SocketReader(socket);
    }

    async Task<string> RunAsync(WorkloadId id, string script) =>
        (await Platform.RunAsync(id, new ExecRequest { Command = ["sh", "-c", script] }, CancellationToken.None)).Stdout.Trim();

    async Task<string> EventuallyAsync(WorkloadId id, string script, string expected)
    {
        var last = "";
        for (var i = 0; i < 100 && last != expected; i++)
        {
            last = await RunAsync(id, script);
            if (last != expected)
            {
                await Task.Delay(100);
            }
        }
        return last;
    }

    [Fact]
    public async Task Owner_types_into_tmux_sees_output_resizes_and_gets_notices()
    {
        var workload = await gateway.StartAsync("term", null, Idle);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id);
        var presence = gateway.Host.Services.GetRequiredService<IWorkspacePresence>();
        Assert.Null(presence.LastSeen(id));

        var owner = await ConnectAsync(id, gateway.Owner.Token);
        await owner.SendTextAsync("""{"type":"resize","cols":132,"rows":41}""");
        await owner.SendKeysAsync("echo round-$((6*7))-trip\r");
        await owner.UntilAsync(r => r.Output.Contains("round-42-trip", StringComparison.Ordinal), "the command's output");
        await owner.UntilAsync(r => r.Notices.Any(n => n.Contains("\"presence\"", StringComparison.Ordinal)), "a presence notice");

        // tmux's window follows the client; its status line takes one row.
        Assert.Equal("132x40", await EventuallyAsync(workload.Id, "tmux display -p -t main '#{window_width}x#{window_height}'", "132x40"));
        await owner.SendTextAsync("""{"type":"resize","cols":100000,"rows":30}""");
        Assert.Equal($"{TerminalBridge.MaxColumns}x29", await EventuallyAsync(workload.Id, "tmux display -p -t main '#{window_width}x#{window_height}'", $"{TerminalBridge.MaxColumns}x29"));

        var entry = Assert.Single(presence.Who(id));
        Assert.Equal((gateway.Owner.Id, true, GatewayChannel.Terminal), (entry.UserId, entry.CanControl, entry.Channel));
        presence.Notify(id, "idle", "Suspending in 5 minutes.");
        await owner.UntilAsync(r => r.Notices.Contains("""{"type":"idle","message":"Suspending in 5 minutes."}"""), "the idle notice");

        await owner.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        for (var i = 0; i < 50 && presence.Who(id).Count > 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.Empty(presence.Who(id));
        Assert.NotNull(presence.LastSeen(id));
        Assert.Equal("main", await RunAsync(workload.Id, "tmux ls -F '#{session_name}'")); // the session outlives the connection
    }

    [Fact]
    public async Task A_viewer_whose_access_is_withdrawn_is_disconnected_within_seconds_while_the_owner_stays()
    {
        var workload = await gateway.StartAsync("withdraw", null, Idle);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id);
        var owner = await ConnectAsync(id, gateway.Owner.Token);
        var viewer = await ConnectAsync(id, gateway.Viewer.Token);
        await viewer.UntilAsync(r => r.Notices.Any(n => n.Contains("\"presence\"", StringComparison.Ordinal)), "a presence notice");

        gateway.Targets.Withdraw(id, gateway.Viewer.Id); // e.g. removed from the course, or the workspace made private
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await viewer.UntilClosedAsync(seconds: 30));
        Assert.Equal(Withdrawal.CloseReason, viewer.Socket.CloseStatusDescription);

        await owner.SendKeysAsync("echo still-$((6*7))-here\r");
        await owner.UntilAsync(r => r.Output.Contains("still-42-here", StringComparison.Ordinal), "the owner's session going on");
        await owner.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Viewer_keystrokes_never_reach_the_workspace_but_the_owners_do_and_both_see_the_session()
    {
        var workload = await gateway.StartAsync("view", null, Idle);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id);
        var owner = await ConnectAsync(id, gateway.Owner.Token);
        await owner.UntilAsync(r => r.Output.Contains('$', StringComparison.Ordinal), "the prompt");
        var viewer = await ConnectAsync(id, gateway.Viewer.Token);
        await viewer.UntilAsync(r => r.Notices.Any(n => n.Contains("Viewer", StringComparison.Ordinal) && n.Contains("Owner", StringComparison.Ordinal)), "presence with both");

        await viewer.SendKeysAsync("touch /tmp/viewer-was-here\r");
        await viewer.SendTextAsync("""{"type":"resize","cols":50,"rows":10}""");
        // The gateway handles a connection's messages in order and refuses a malformed one by closing: once the
        // viewer is closed so, its keys and resize were handled (dropped, or written to the workspace) before the
        // owner types anything. Keys of the viewer's that got through would run before the owner's command.
        await viewer.SendTextAsync("not json");
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await viewer.UntilClosedAsync(seconds: 30));
        var watcher = await ConnectAsync(id, gateway.Viewer.Token);
        await owner.SendKeysAsync("touch /tmp/owner-was-here && echo owner-$((2+3))\r");
        await watcher.UntilAsync(r => r.Output.Contains("owner-5", StringComparison.Ordinal), "the owner's command on the viewer's screen");
        Assert.Equal("yes", await EventuallyAsync(workload.Id, "test -e /tmp/owner-was-here && echo yes", "yes"));
        Assert.Equal("no", await RunAsync(workload.Id, "test -e /tmp/viewer-was-here && echo yes || echo no"));
        Assert.DoesNotContain("viewer-was-here", await RunAsync(workload.Id, "tmux capture-pane -p -t main"), StringComparison.Ordinal);
        Assert.NotEqual("50", await RunAsync(workload.Id, "tmux display -p -t main '#{window_width}'")); // a viewer's size does not count
    }

    [Fact]
    public async Task A_reconnect_takes_over_the_kept_tmux_client_and_gets_the_screen_redrawn()
    {
        var workload = await gateway.StartAsync("keep", null, Idle);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id);
        var first = await ConnectAsync(id, gateway.Owner.Token);
        await first.SendTextAsync("""{"type":"resize","cols":90,"rows":25}""");
        await first.SendKeysAsync("echo before-$((40+2))\r");
        await first.UntilAsync(r => r.Output.Contains("before-42", StringComparison.Ordinal), "the command's output");
        var client = await RunAsync(workload.Id, "tmux list-clients -F '#{client_pid}'");
        Assert.Matches("^[0-9]+$", client);
        await first.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "reload", CancellationToken.None);
        var parking = gateway.Host.Services.GetRequiredService<TerminalParking>();
        await Eventually.UntilAsync(() => parking.Count == 1, TimeSpan.FromSeconds(30), "the session kept after the browser left");
        Assert.Equal(client, await RunAsync(workload.Id, "tmux list-clients -F '#{client_pid}'")); // still attached, nobody reading

        // The same size as before: only the one-row-down-and-back makes tmux send the screen, nothing is typed.
        var again = await ConnectAsync(id, gateway.Owner.Token);
        await again.SendTextAsync("""{"type":"resize","cols":90,"rows":25}""");
        await again.UntilAsync(r => r.Output.Contains("before-42", StringComparison.Ordinal), "the redrawn screen");
        Assert.Equal(client, await RunAsync(workload.Id, "tmux list-clients -F '#{client_pid}'")); // taken over, not a new exec
        Assert.Equal(0, parking.Count);
        await again.SendKeysAsync("echo after-$((6*7))\r");
        await again.UntilAsync(r => r.Output.Contains("after-42", StringComparison.Ordinal), "keys through the taken-over session");

        // A viewer's read-only client is never kept.
        var viewer = await ConnectAsync(id, gateway.Viewer.Token);
        await viewer.UntilAsync(r => r.Output.Contains("after-42", StringComparison.Ordinal), "the viewer's screen");
        await viewer.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(client, await EventuallyAsync(workload.Id, "tmux list-clients -F '#{client_pid}'", client));
        Assert.Equal(0, parking.Count);
    }

    [Fact]
    public async Task Refusals_come_before_the_upgrade()
    {
        var workload = await gateway.StartAsync("refuse", null, Idle);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id);
        foreach (var path in new[] { "terminal", "vnc" })
        {
            var uri = new Uri($"wss://localhost/api/v1/workspaces/{id}/{path}");
            Assert.Contains("status code: 401", await RefusedAsync(gateway.Sockets(null), uri), StringComparison.Ordinal);
            Assert.Contains("status code: 401", await RefusedAsync(gateway.Sockets("ccpat_not-a-token"), uri), StringComparison.Ordinal);
            Assert.Contains("status code: 403", await RefusedAsync(gateway.Sockets(gateway.Stranger.Token), uri), StringComparison.Ordinal);
            Assert.Contains("status code: 404", await RefusedAsync(gateway.Sockets(gateway.Owner.Token), new Uri($"wss://localhost/api/v1/workspaces/999999/{path}")), StringComparison.Ordinal);
            var crossSite = gateway.Sockets(gateway.Owner.Token);
            var configure = crossSite.ConfigureRequest;
            crossSite.ConfigureRequest = r => { configure!(r); r.Headers.Origin = "https://evil.example"; };
            Assert.Contains("status code: 403", await RefusedAsync(crossSite, uri), StringComparison.Ordinal);
        }
        // the desktop of a workspace without one, and a plain GET, are refused with a ProblemDetails
        Assert.Contains("status code: 409", await RefusedAsync(gateway.Sockets(gateway.Owner.Token), new Uri($"wss://localhost/api/v1/workspaces/{id}/vnc")), StringComparison.Ordinal);
        using var http = gateway.Host.NewClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", gateway.Owner.Token);
        var plain = await http.GetAsync($"/api/v1/workspaces/{id}/terminal");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Contains("WebSocket connections only", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    static async Task<string> RefusedAsync(Microsoft.AspNetCore.TestHost.WebSocketClient client, Uri uri)
    {
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.ConnectAsync(uri, CancellationToken.None));
        return ex.Message;
    }
}
