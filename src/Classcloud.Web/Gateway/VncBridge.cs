using System.Net.Sockets;
using System.Net.WebSockets;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Browser (noVNC) ↔ the workspace's VNC server over TCP. <see cref="ConnectAsync"/> opens the
/// connection and authenticates before the browser's upgrade is accepted (so an unreachable
/// desktop is an HTTP error, not a dropped socket); <see cref="RunAsync"/> gives the browser its
/// handshake, then relays: browser → server through <see cref="RfbClientFilter"/>, server → browser
/// through <see cref="RfbServerFilter"/> (both pass everything for people in control).
/// </summary>
public sealed class VncBridge(WorkspacePresence presence, TimeProvider clock, ILogger<VncBridge> logger)
{
    static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>An authenticated, shared connection to a VNC server, with the ServerInit to replay.</summary>
    public sealed class ServerConnection(TcpClient tcp, byte[] serverInit) : IDisposable
    {
        public NetworkStream Stream { get; } = tcp.GetStream();

        public byte[] ServerInit => serverInit;

        public void Dispose() => tcp.Dispose();
    }

    /// <summary>Connects and authenticates; throws <see cref="RfbException"/>, <see cref="SocketException"/> or IOException.</summary>
    public static async Task<ServerConnection> ConnectAsync(string host, int port, string? password, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token);
            var stream = tcp.GetStream();
            var serverInit = await RfbHandshake.WithServerAsync(
                (buffer, c) => stream.ReadExactlyAsync(buffer, c),
                (bytes, c) => stream.WriteAsync(bytes, c),
                password, timeout.Token);
            return new ServerConnection(tcp, serverInit);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Handshake with the browser, then relays until either side ends; owns <paramref name="server"/>.</summary>
    internal async Task RunAsync(WebSocket webSocket, ServerConnection server, GatewayTarget target, CancellationToken ct)
    {
        using var socket = new GatewaySocket(webSocket);
        using var _ = server;
        using var joined = presence.Join(target.WorkspaceId,
            new PresenceEntry(target.UserId, target.DisplayName, target.CanControl, GatewayChannel.Vnc, clock.GetUtcNow()), out var revoked);
        using var withdrawn = new Withdrawal(revoked);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(HandshakeTimeout);
            await RfbHandshake.WithBrowserAsync(socket.ReadExactlyAsync,
                (bytes, c) => socket.SendAsync(bytes, WebSocketMessageType.Binary, c), server.ServerInit, timeout.Token);
        }
        catch (Exception ex) when (ex is RfbException or OperationCanceledException or WebSocketException)
        {
            logger.LogInformation("RFB handshake with the browser failed for workspace {Workspace}: {Reason}", target.WorkspaceId, ex.Message);
            await socket.CloseAsync(WebSocketCloseStatus.ProtocolError, "RFB handshake failed", ct);
            return;
        }

        // ServerInit's bits per pixel are the viewer's pixel size until it sends SetPixelFormat.
        var filter = new RfbClientFilter(target.CanControl, new RfbViewerEncodings(Math.Max(1, server.ServerInit[4] / 8)));
        var serverFilter = new RfbServerFilter(target.CanControl, filter.Format);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = ReceiveAsync(socket, server.Stream, filter, stop.Token);
        var down = OutputAsync(socket, server.Stream, serverFilter, stop.Token, ct);
        var first = await Task.WhenAny(up, down, withdrawn.Task);
        if (first == withdrawn.Task)
        {
            await stop.CancelAsync();
            await TerminalBridge.Quietly(Task.WhenAll(up, down));
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, Withdrawal.CloseReason, ct);
            logger.LogInformation("Ended the desktop of user {User} on workspace {Workspace}: access withdrawn", target.UserId, target.WorkspaceId);
            return;
        }
        if (first == down && serverFilter.Failure is null)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "desktop closed", ct);
            await TerminalBridge.Quietly(up.WaitAsync(TimeSpan.FromSeconds(5), ct));
        }
        await stop.CancelAsync();
        await TerminalBridge.Quietly(Task.WhenAll(up, down));
        if ((filter.Failure ?? serverFilter.Failure) is { } failure)
        {
            logger.LogInformation("Closed the desktop connection of user {User} to workspace {Workspace}: {Reason}", target.UserId, target.WorkspaceId, failure);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "message not allowed", ct);
            return;
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
    }

    // Browser → server, through the filter; ends when the browser closes or the filter refuses.
    static async Task ReceiveAsync(GatewaySocket socket, NetworkStream server, RfbClientFilter filter, CancellationToken ct)
    {
        var forward = new List<byte>(GatewaySocket.BufferSize);
        if (!await PushAsync(socket.TakeLeftover()))
        {
            return;
        }
        var buffer = new byte[GatewaySocket.BufferSize];
        while (true)
        {
            var result = await socket.Socket.ReceiveAsync(buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            // RFB is binary; a text frame is ignored rather than parsed as protocol bytes.
            if (result.MessageType == WebSocketMessageType.Binary && !await PushAsync(buffer.AsSpan(0, result.Count).ToArray()))
            {
                return;
            }
        }

        async Task<bool> PushAsync(byte[] chunk)
        {
            forward.Clear();
            var ok = filter.Push(chunk, forward);
            if (forward.Count > 0)
            {
                await server.WriteAsync(forward.ToArray(), ct);
            }
            return ok;
        }
    }

    // Server → browser, through the filter; ends when the server closes or the filter refuses.
    static async Task OutputAsync(GatewaySocket socket, NetworkStream server, RfbServerFilter filter, CancellationToken stop, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var forward = new List<byte>(buffer.Length);
        while (true)
        {
            var read = await server.ReadAsync(buffer, stop);
            if (read == 0)
            {
                return;
            }
            forward.Clear();
            var ok = filter.Push(buffer.AsSpan(0, read), forward);
            if (forward.Count > 0)
            {
                await socket.SendAsync(forward.ToArray(), WebSocketMessageType.Binary, ct);
            }
            if (!ok)
            {
                return;
            }
        }
    }
}
