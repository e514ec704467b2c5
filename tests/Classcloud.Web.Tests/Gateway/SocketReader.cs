using System.Net.WebSockets;
using System.Text;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The test's side of a gateway WebSocket: binary output as text or exact bytes, text frames as notices.</summary>
public sealed class SocketReader(WebSocket socket)
{
    readonly StringBuilder output = new();
    readonly List<byte> bytes = [];
    readonly byte[] buffer = new byte[64 * 1024];

    public WebSocket Socket => socket;

    public List<string> Notices { get; } = [];

    public string Output => output.ToString();

    /// <summary>The close status once the gateway closed the socket.</summary>
    public WebSocketCloseStatus? Closed { get; private set; }

    public Task SendTextAsync(string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json).AsMemory(), WebSocketMessageType.Text, true, Timeout()).AsTask();

    public Task SendKeysAsync(string keys) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(keys).AsMemory(), WebSocketMessageType.Binary, true, Timeout()).AsTask();

    public Task SendBytesAsync(byte[] data) =>
        socket.SendAsync(data.AsMemory(), WebSocketMessageType.Binary, true, Timeout()).AsTask();

    /// <summary>Reads frames until the condition holds; fails with what arrived so far after the time limit.</summary>
    public async Task UntilAsync(Func<SocketReader, bool> done, string what, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (!done(this))
            {
                if (!await ReadFrameAsync(timeout.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(done(this), $"Not within {seconds} s: {what}. Output so far: {Output[Math.Max(0, Output.Length - 2000)..]}");
    }

    /// <summary>Exactly <paramref name="count"/> binary bytes (RFB).</summary>
    public async Task<byte[]> ReadBytesAsync(int count, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (bytes.Count < count)
        {
            if (!await ReadFrameAsync(timeout.Token))
            {
                throw new InvalidOperationException($"closed ({Closed}) after {bytes.Count} of {count} bytes");
            }
        }
        var result = bytes.Take(count).ToArray();
        bytes.RemoveRange(0, count);
        return result;
    }

    /// <summary>Reads until the gateway closes; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> UntilClosedAsync(int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (await ReadFrameAsync(timeout.Token))
        {
        }
        return Closed;
    }

    async Task<bool> ReadFrameAsync(CancellationToken ct)
    {
        var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
        switch (result.MessageType)
        {
            case WebSocketMessageType.Close:
                Closed = socket.CloseStatus;
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                }
                return false;
            case WebSocketMessageType.Text:
                Notices.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
                return true;
            default:
                output.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                bytes.AddRange(buffer.AsSpan(0, result.Count));
                return true;
        }
    }

    static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
}
