using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Classcloud.Platform;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// A terminal the benchmark types into and reads from: the gateway's WebSocket (as the browser's
/// xterm uses it) or an exec session straight on the engine. Output is read all the time by a
/// background loop into a queue, so a measurement only waits for what it is looking for.
/// </summary>
internal abstract class TerminalStream : IAsyncDisposable
{
    readonly Channel<byte[]> output = Channel.CreateUnbounded<byte[]>();
    protected readonly CancellationTokenSource Stop = new();

    protected void Received(byte[] data) => output.Writer.TryWrite(data);

    protected void Ended(Exception? error = null) => output.Writer.TryComplete(error);

    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> keys, CancellationToken ct);

    /// <summary>Drops the output read so far.</summary>
    public void Drain()
    {
        while (output.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>The next chunk of output (the first byte of a connection is the first chunk's).</summary>
    public async Task<byte[]> NextAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            return await output.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no terminal output within {limit.TotalSeconds:0} s");
        }
        catch (ChannelClosedException ex)
        {
            throw new IOException("the terminal closed", ex.InnerException);
        }
    }

    /// <summary>Waits until a chunk of output holds <paramref name="key"/>.</summary>
    public async Task WaitForAsync(byte key, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!(await NextAsync(limit - clock.Elapsed, ct)).AsSpan().Contains(key))
        {
        }
    }

    /// <summary>Sends one key and times until the terminal shows it (the echo through tmux and the shell).</summary>
    public async Task<double> EchoAsync(byte key, CancellationToken ct)
    {
        Drain();
        var clock = Stopwatch.StartNew();
        await SendAsync(new[] { key }, ct);
        await WaitForAsync(key, TimeSpan.FromSeconds(10), ct);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Stops the background reader and waits (briefly) until it has ended.</summary>
    protected async Task StopReadingAsync(Task reading)
    {
        await Stop.CancelAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public virtual ValueTask DisposeAsync()
    {
        Stop.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The gateway's terminal WebSocket, authenticated with the user's personal access token.</summary>
internal sealed class GatewayTerminal : TerminalStream
{
    readonly ClientWebSocket socket;
    readonly Task reading;

    GatewayTerminal(ClientWebSocket socket)
    {
        this.socket = socket;
        reading = Task.Run(ReadAsync);
    }

    /// <summary>A new WebSocket with the bearer token (no Origin: not a browser); the HTTP status of a refusal is kept.</summary>
    public static ClientWebSocket NewSocket(string bearer, string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        socket.Options.CollectHttpResponseDetails = true;
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        return socket;
    }

    /// <summary>Connects and sends the browser's first resize, as xterm does when it opens.</summary>
    public static async Task<GatewayTerminal> ConnectAsync(Uri address, string bearer, CancellationToken ct)
    {
        var socket = NewSocket(bearer);
        try
        {
            await socket.ConnectAsync(address, ct);
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            throw new IOException($"the terminal WebSocket was refused ({status}): {ex.Message}", ex);
        }
        var terminal = new GatewayTerminal(socket);
        await socket.SendAsync("{\"type\":\"resize\",\"cols\":120,\"rows\":32}"u8.ToArray(), WebSocketMessageType.Text, true, ct);
        return terminal;
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> keys, CancellationToken ct) =>
        await socket.SendAsync(keys, WebSocketMessageType.Binary, true, ct);

    // Binary frames are terminal output; text frames are notices (presence), not output.
    async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), Stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Ended();
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Binary && result.Count > 0)
                {
                    Received(buffer.AsSpan(0, result.Count).ToArray());
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Ended(ex);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", limit.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The gateway is gone already.
        }
        await StopReadingAsync(reading);
        socket.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// The same tmux attach the gateway runs (<see cref="Web.Gateway.TerminalBridge.Exec"/>), as a
/// TTY exec session on the engine from this process: `docker exec -it` without the CLI's own start.
/// </summary>
internal sealed class ExecTerminal : TerminalStream
{
    readonly IStreamSession session;
    readonly Task reading;

    ExecTerminal(IStreamSession session)
    {
        this.session = session;
        reading = Task.Run(ReadAsync);
    }

    public static async Task<ExecTerminal> OpenAsync(IContainerPlatform platform, WorkloadId workload, CancellationToken ct)
    {
        var session = await platform.ExecAsync(workload, Web.Gateway.TerminalBridge.Exec(canControl: true), ct);
        await session.ResizeAsync(120, 32, ct);
        return new ExecTerminal(session);
    }

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> keys, CancellationToken ct) => await session.WriteAsync(keys, ct);

    async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await session.ReadAsync(buffer, Stop.Token);
                if (read.Count == 0)
                {
                    Ended();
                    return;
                }
                Received(buffer.AsSpan(0, read.Count).ToArray());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or PlatformException or ObjectDisposedException)
        {
            Ended(ex);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await StopReadingAsync(reading);
        await session.DisposeAsync();
        await base.DisposeAsync();
    }
}
