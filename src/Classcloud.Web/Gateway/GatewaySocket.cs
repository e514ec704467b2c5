using System.Net.WebSockets;

namespace Classcloud.Web.Gateway;

/// <summary>
/// The browser's WebSocket as the bridges use it: sends serialized by a lock (output, notices and
/// the close frame come from different tasks), exact reads for the RFB handshake with what was
/// read past it kept for the message parser, and a close that never throws.
/// </summary>
internal sealed class GatewaySocket(WebSocket socket) : IDisposable
{
    public const int BufferSize = 16 * 1024;

    readonly SemaphoreSlim sending = new(1, 1);
    readonly byte[] receiveBuffer = new byte[BufferSize];
    Memory<byte> leftover = Memory<byte>.Empty;

    public WebSocket Socket => socket;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken ct)
    {
        await sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(data, type, endOfMessage: true, ct);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Sends our close frame if it has not been sent; errors (a peer already gone) are ignored.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken ct)
    {
        try
        {
            await sending.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, description, ct);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // the browser went away first
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>Fills the buffer from binary frames (the handshake); throws if the browser closes first or sends text.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (!buffer.IsEmpty)
        {
            if (leftover.IsEmpty)
            {
                var result = await socket.ReceiveAsync(receiveBuffer.AsMemory(), ct);
                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    throw new RfbException("the browser closed or sent text during the RFB handshake");
                }
                leftover = receiveBuffer.AsMemory(0, result.Count);
                continue;
            }
            var take = Math.Min(leftover.Length, buffer.Length);
            leftover[..take].CopyTo(buffer);
            leftover = leftover[take..];
            buffer = buffer[take..];
        }
    }

    /// <summary>Bytes the browser sent after the handshake in the same frame as its last part (to parse first).</summary>
    public byte[] TakeLeftover()
    {
        var bytes = leftover.ToArray();
        leftover = Memory<byte>.Empty;
        return bytes;
    }

    public void Dispose() => sending.Dispose();
}
