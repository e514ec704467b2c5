using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// The least of an RFB client (RFC 6143) that gets a picture through the gateway's desktop
/// WebSocket: ProtocolVersion 3.8, security None (the gateway has done the VNC password with the
/// server), ClientInit shared, ServerInit, one full FramebufferUpdateRequest, and the first server
/// message, which must be a FramebufferUpdate (type 0).
/// </summary>
internal sealed class RfbClient : IAsyncDisposable
{
    readonly ClientWebSocket socket;
    readonly byte[] frame = new byte[64 * 1024];
    int offset;
    int count;

    RfbClient(ClientWebSocket socket) => this.socket = socket;

    /// <summary>
    /// Opens the desktop WebSocket, trying again every <paramref name="retry"/> while the gateway answers
    /// 502 (Xvnc not listening yet) or 409 (not running yet), up to <paramref name="limit"/>.
    /// </summary>
    public static async Task<RfbClient> ConnectAsync(Uri address, string bearer, TimeSpan retry, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = GatewayTerminal.NewSocket(bearer, "binary");
            try
            {
                await socket.ConnectAsync(address, ct);
                return new RfbClient(socket);
            }
            catch (WebSocketException) when (socket.HttpStatusCode is HttpStatusCode.BadGateway or HttpStatusCode.Conflict && clock.Elapsed < limit)
            {
                socket.Dispose();
                await Task.Delay(retry, ct);
            }
            catch (WebSocketException ex)
            {
                var status = (int)socket.HttpStatusCode;
                socket.Dispose();
                throw new IOException($"the desktop WebSocket was refused ({status}) after {clock.Elapsed.TotalSeconds:0.0} s: {ex.Message}", ex);
            }
        }
    }

    /// <summary>The handshake, then a full update request; returns when the first FramebufferUpdate begins (at most 30 s).</summary>
    public async Task FirstFramebufferUpdateAsync(CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var ct = limit.Token;
        var version = Encoding.ASCII.GetString(await ReadAsync(12, ct));
        if (!version.StartsWith("RFB 003.", StringComparison.Ordinal))
        {
            throw new IOException($"not RFB: '{version.Trim()}'");
        }
        await SendAsync("RFB 003.008\n"u8.ToArray(), ct);
        var types = await ReadAsync((await ReadAsync(1, ct))[0], ct);
        if (!types.Contains((byte)1))
        {
            throw new IOException($"the gateway offers security types [{string.Join(",", types)}], not None");
        }
        await SendAsync([1], ct);
        if (BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4, ct)) != 0)
        {
            throw new IOException("security result: failed");
        }
        await SendAsync([1], ct); // ClientInit: shared
        var init = await ReadAsync(24, ct);
        var width = BinaryPrimitives.ReadUInt16BigEndian(init);
        var height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20)), ct); // the desktop's name
        var request = new byte[10];
        request[0] = 3; // FramebufferUpdateRequest, not incremental, the whole screen
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), height);
        await SendAsync(request, ct);
        var type = (await ReadAsync(1, ct))[0];
        if (type != 0)
        {
            throw new IOException($"the first server message is type {type}, not a FramebufferUpdate");
        }
    }

    Task SendAsync(byte[] bytes, CancellationToken ct) => socket.SendAsync(bytes, WebSocketMessageType.Binary, true, ct);

    /// <summary>Exactly <paramref name="n"/> bytes of the RFB stream, across WebSocket frames.</summary>
    async Task<byte[]> ReadAsync(int n, CancellationToken ct)
    {
        var result = new byte[n];
        var at = 0;
        while (at < n)
        {
            if (count == 0)
            {
                var received = await socket.ReceiveAsync(frame.AsMemory(), ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    throw new IOException($"the gateway closed the desktop connection: {socket.CloseStatus} {socket.CloseStatusDescription}");
                }
                (offset, count) = (0, received.MessageType == WebSocketMessageType.Binary ? received.Count : 0);
                continue;
            }
            var take = Math.Min(count, n - at);
            frame.AsSpan(offset, take).CopyTo(result.AsSpan(at));
            (at, offset, count) = (at + take, offset + take, count - take);
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", limit.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Gone already.
        }
        socket.Dispose();
    }
}
