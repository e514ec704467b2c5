using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Gateway;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The desktop WebSocket: a real RFB handshake with Xvnc, and view only observed on a fake VNC server.</summary>
[Collection(EngineCollection.Name)]
public sealed class VncGatewayTests(EngineFixture engine, GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    static readonly byte[] UpdateRequest = [3, 0, 0, 0, 0, 0, 2, 128, 1, 224];
    static readonly byte[] Key = [4, 1, 0, 0, 0, 0, 0, 0x61];
    static readonly byte[] Pointer = [5, 1, 0, 10, 0, 20];
    static readonly byte[] CutText = [6, 0, 0, 0, 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c'];

    async Task<SocketReader> ConnectAsync(long workspace, string token)
    {
        Assert.NotNull(engine.Platform);
        var socket = await gateway.Sockets(token, "binary").ConnectAsync(new Uri($"wss://localhost/api/v1/workspaces/{workspace}/vnc"), CancellationToken.None);
        Assert.Equal("binary", socket.SubProtocol);
        return new SocketReader(socket);
    }

    /// <summary>The browser's half of the handshake, as noVNC does it; returns ServerInit's size.</summary>
    static async Task<(int Width, int Height, string Name)> HandshakeAsync(SocketReader vnc)
    {
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await vnc.ReadBytesAsync(12)));
        await vnc.SendBytesAsync("RFB 003.008\n"u8.ToArray());
        Assert.Equal(new byte[] { 1, 1 }, await vnc.ReadBytesAsync(2)); // one type: None
        await vnc.SendBytesAsync([1]);
        Assert.Equal(new byte[4], await vnc.ReadBytesAsync(4)); // SecurityResult OK
        await vnc.SendBytesAsync([1]); // ClientInit, shared
        var init = await vnc.ReadBytesAsync(24);
        var name = await vnc.ReadBytesAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20)));
        var (width, height) = RfbHandshake.Size(init);
        return (width, height, Encoding.UTF8.GetString(name));
    }

    [Fact]
    public async Task Real_Xvnc_with_a_password_through_the_gateway_handshake_ServerInit_and_a_framebuffer_update()
    {
        var tenant = await gateway.TenantAsync();
        var workload = await gateway.StartAsync("xvnc", tenant, "Xvnc", ":1", "-geometry", "640x480", "-depth", "24", "-rfbport", "5901",
            "-SecurityTypes", "VncAuth", "-PasswordFile", "/etc/vncpasswd", "-AlwaysShared", "-desktop", "gateway-test");
        var address = workload.Instances[0].Address!;
        await ListeningAsync(address, 5901);
        var id = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id, address, 5901, GatewayFixture.VncPassword);

        foreach (var token in new[] { gateway.Owner.Token, gateway.Viewer.Token })
        {
            var vnc = await ConnectAsync(id, token);
            var (width, height, name) = await HandshakeAsync(vnc);
            Assert.Equal((640, 480), (width, height));
            Assert.Equal("gateway-test", name);
            await vnc.SendBytesAsync(UpdateRequest);
            Assert.Equal(0, (await vnc.ReadBytesAsync(1))[0]); // FramebufferUpdate
            await vnc.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }

        // A wrong password is the gateway's problem, reported before the upgrade.
        var wrong = gateway.Targets.Add(workload.Id, gateway.Owner.Id, gateway.Viewer.Id, address, 5901, "not-it");
        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            gateway.Sockets(gateway.Owner.Token).ConnectAsync(new Uri($"wss://localhost/api/v1/workspaces/{wrong}/vnc"), CancellationToken.None));
        Assert.Contains("status code: 502", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_pointer_key_and_clipboard_never_reach_the_server_the_owners_do()
    {
        await using var server = new FakeVncServer("fake-pw");
        var id = gateway.Targets.Add(new("t-gw-fake"), gateway.Owner.Id, gateway.Viewer.Id, "127.0.0.1", server.Port, "fake-pw");
        byte[] stream = [.. UpdateRequest, .. Key, .. Pointer, .. CutText, .. UpdateRequest];
        byte[][] frames = [stream[..13], stream[13..29], stream[29..]]; // cut inside KeyEvent and inside ClientCutText

        foreach (var (token, expected) in new[] { (gateway.Viewer.Token, (byte[])[.. UpdateRequest, .. UpdateRequest]), (gateway.Owner.Token, stream) })
        {
            var vnc = await ConnectAsync(id, token);
            Assert.Equal((800, 600, "fake desktop"), await HandshakeAsync(vnc));
            foreach (var frame in frames)
            {
                await vnc.SendBytesAsync(frame);
            }
            await vnc.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            Assert.Equal(expected, await server.NextSessionAsync());
        }

        var refused = await ConnectAsync(id, gateway.Viewer.Token);
        await HandshakeAsync(refused);
        await refused.SendBytesAsync([.. UpdateRequest, 7, 0, 0, 0, .. Key]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await refused.UntilClosedAsync());
        Assert.Equal(UpdateRequest, await server.NextSessionAsync());
    }

    [Fact]
    public async Task A_viewer_never_receives_the_owners_clipboard_and_cannot_negotiate_it_the_owner_does()
    {
        byte[] bell = [2];
        byte[] script = [.. RfbServerFilterTests.FramebufferUpdate, .. RfbServerFilterTests.CutText, .. bell];
        await using var server = new FakeVncServer("fake-pw") { ServerMessages = script };
        var id = gateway.Targets.Add(new("t-gw-clip"), gateway.Owner.Id, gateway.Viewer.Id, "127.0.0.1", server.Port, "fake-pw");
        byte[] encodings = [2, 0, 0, 3, 0, 0, 0, 16, 0xc0, 0xa1, 0xe5, 0xce, 0, 0, 0, 7]; // ZRLE, extended clipboard, Tight

        foreach (var (token, expected, sent) in new[]
        {
            (gateway.Viewer.Token, (byte[])[.. RfbServerFilterTests.FramebufferUpdate, .. bell], (byte[])[2, 0, 0, 1, 0, 0, 0, 16]),
            (gateway.Owner.Token, script, encodings),
        })
        {
            var vnc = await ConnectAsync(id, token);
            await HandshakeAsync(vnc);
            // The Bell at the end marks the end of the script: had the clipboard passed, these bytes would differ.
            Assert.Equal(expected, await vnc.ReadBytesAsync(expected.Length));
            await vnc.SendBytesAsync(encodings);
            await vnc.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            Assert.Equal(sent, await server.NextSessionAsync());
        }
    }

    static async Task ListeningAsync(string address, int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Parse(address), port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on {address}:{port}");
    }
}
