using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// An exec or attach over the Kubernetes WebSocket channel protocol, on the WebSocket the official
/// client opened: every binary message starts with a channel byte — 0 stdin, 1 stdout, 2 stderr,
/// 3 the final Status (exit code), 4 resize (JSON <c>{"Width","Height"}</c>);
/// <c>v5.channel.k8s.io</c> adds 255 to close a channel (stdin EOF). The client's StreamDemuxer is
/// not used: it splits the channels into separate buffers, and the terminal-size fix below needs to
/// act on the first output frame before that frame reaches the reader (docs/platform.md).
/// </summary>
internal sealed class KubeExecSession : IStreamSession
{
    public const string V5 = WebSocketProtocol.V5BinaryWebsocketProtocol;

    const byte Stdin = 0, Stdout = 1, Stderr = 2, Error = 3, Resize = 4, Close = 255;

    /// <summary>Longest that keys typed before the process's first output are held (a program may print nothing until it reads).</summary>
    static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(2);

    readonly WebSocket socket;
    readonly Channel<(OutputStream Stream, byte[] Data)> output = Channel.CreateUnbounded<(OutputStream, byte[])>(new() { SingleReader = true });
    readonly SemaphoreSlim sending = new(1, 1);
    readonly CancellationTokenSource stop = new();
    readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Task receiving;
    readonly Func<CancellationToken, Task<int?>>? fallbackExitCode;
    (byte[] Data, int Offset, OutputStream Stream)? pending;
    TerminalSize? size;
    bool started;
    int? exitCode;
    string? failure;
    int disposed;

    public KubeExecSession(WebSocket socket, bool tty, Func<CancellationToken, Task<int?>>? fallbackExitCode = null)
    {
        this.socket = socket;
        Tty = tty;
        this.fallbackExitCode = fallbackExitCode;
        receiving = ReceiveLoopAsync(stop.Token);
    }

    public bool Tty { get; }

    /// <summary>The subprotocol the server chose.</summary>
    public string? Protocol => socket.SubProtocol;

    async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var data = message.ToArray();
                message.SetLength(0);
                if (data.Length == 0)
                {
                    continue;
                }
                if (data[0] is Stdout or Stderr && data.Length > 1 && !started)
                {
                    started = true;
                    await ResendSizeAsync(ct);
                    running.TrySetResult();
                }
                switch (data[0])
                {
                    case Stdout when data.Length > 1:
                        await output.Writer.WriteAsync((OutputStream.Stdout, data[1..]), ct);
                        break;
                    case Stderr when data.Length > 1:
                        await output.Writer.WriteAsync((OutputStream.Stderr, data[1..]), ct);
                        break;
                    case Error when data.Length > 1:
                        ReadStatus(data.AsSpan(1));
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection ended: the output ends with it.
        }
        finally
        {
            running.TrySetResult();
            output.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The size a terminal asks for right after the socket opens reaches the node before the
    /// process exists, and containerd applies it only once the process has started, or not at all:
    /// on a real cluster 4 of 20 terminals said <c>0 0</c> to a <c>stty size</c> typed at once. The
    /// first output proves the process runs, so the size asked for so far is sent again then,
    /// before that output reaches the reader and before the keys typed so far
    /// (<see cref="UntilRunningAsync"/>): whatever is typed travels behind it. (The API server's
    /// empty stdout frame at connect is not output.)
    /// </summary>
    async Task ResendSizeAsync(CancellationToken ct)
    {
        if (!Tty || Volatile.Read(ref size) is not { } current)
        {
            return;
        }
        try
        {
            await SendAsync(Resize, JsonSerializer.SerializeToUtf8Bytes(current, KubeJson.Default.TerminalSize), ct);
        }
        catch (PlatformException)
        {
            // The connection is closing; the receive loop sees it next.
        }
    }

    /// <summary>Channel 3 carries a Status: Success (exit 0), or Failure with reason NonZeroExitCode and the code as a cause.</summary>
    void ReadStatus(ReadOnlySpan<byte> json)
    {
        V1Status? status;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(System.Text.Encoding.UTF8.GetString(json));
        }
        catch (JsonException)
        {
            return;
        }
        if (status?.Status == "Success")
        {
            exitCode = 0;
        }
        else if (status?.Reason == "NonZeroExitCode"
            && status.Details?.Causes?.FirstOrDefault(c => c.Reason == "ExitCode")?.Message is { } code
            && int.TryParse(code, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            exitCode = parsed;
        }
        else
        {
            failure = status?.Message;
        }
    }

    public async ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (pending is null)
        {
            if (!await output.Reader.WaitToReadAsync(ct) || !output.Reader.TryRead(out var next))
            {
                if (failure is not null && exitCode is null)
                {
                    throw new PlatformException($"The process could not run: {failure}");
                }
                return new StreamRead(0, OutputStream.Stdout);
            }
            pending = (next.Data, 0, next.Stream);
        }
        var (data, offset, stream) = pending.Value;
        var count = Math.Min(buffer.Length, data.Length - offset);
        data.AsMemory(offset, count).CopyTo(buffer);
        pending = offset + count >= data.Length ? null : (data, offset + count, stream);
        return new StreamRead(count, stream);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await UntilRunningAsync(ct);
        await SendAsync(Stdin, data, ct);
    }

    /// <summary>Keys typed into a terminal whose size was set wait (at most <see cref="HoldLimit"/>) for the process's first output, when that size is sent again.</summary>
    async Task UntilRunningAsync(CancellationToken ct)
    {
        if (!Tty || running.Task.IsCompleted || Volatile.Read(ref size) is null)
        {
            return;
        }
        try
        {
            await running.Task.WaitAsync(HoldLimit, ct);
        }
        catch (TimeoutException)
        {
            // Nothing printed yet: the keys go anyway, the size was sent once already.
        }
    }

    public Task CloseInputAsync(CancellationToken ct)
    {
        if (socket.SubProtocol != V5)
        {
            throw new PlatformNotSupportedException($"The API server speaks only {socket.SubProtocol}, which cannot close stdin; Kubernetes 1.30 or later ({V5}) can.");
        }
        return CloseAfterInputAsync(ct);
    }

    async Task CloseAfterInputAsync(CancellationToken ct)
    {
        await UntilRunningAsync(ct);
        await SendFrameAsync([Close, Stdin], ct);
    }

    public Task ResizeAsync(int columns, int rows, CancellationToken ct)
    {
        if (!Tty)
        {
            throw new InvalidOperationException("Only a session with a TTY can be resized.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var requested = new TerminalSize(columns, rows);
        Volatile.Write(ref size, requested);
        return SendAsync(Resize, JsonSerializer.SerializeToUtf8Bytes(requested, KubeJson.Default.TerminalSize), ct);
    }

    public async Task<int?> GetExitCodeAsync(CancellationToken ct)
    {
        if (exitCode is null && fallbackExitCode is not null && receiving.IsCompleted)
        {
            return await fallbackExitCode(ct);
        }
        return exitCode;
    }

    Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsMemory(1));
        return SendFrameAsync(frame, ct);
    }

    async Task SendFrameAsync(byte[] frame, CancellationToken ct)
    {
        await sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, ct);
        }
        catch (WebSocketException ex)
        {
            throw new PlatformException($"The exec connection is closed: {ex.Message}", ex);
        }
        finally
        {
            sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Going away anyway.
            }
        }
        await stop.CancelAsync();
        await receiving;
        socket.Dispose();
        stop.Dispose();
        sending.Dispose();
    }
}
