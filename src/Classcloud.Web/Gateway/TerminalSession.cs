using System.Threading.Channels;
using Classcloud.Platform;

namespace Classcloud.Web.Gateway;

/// <summary>
/// One terminal exec of tmux behind the gateway. Two things the engine's own session does not do:
/// <list type="bullet">
/// <item>It can outlive its browser connection (<see cref="TerminalParking"/>), when it is a person-in-control's:
/// the next connection takes it over instead of starting a new exec and tmux client, which is most of what a
/// reconnect or a resume waits for. One pump reads the engine's stream for the whole life of the exec and is never
/// cancelled — cancelling a read on an engine's hijacked connection may close it — while connections read from the
/// pump's channel, which they may cancel freely. While nobody holds it, output is dropped: taking it over makes
/// tmux redraw the whole screen.</item>
/// <item>Closing it ends the tmux client in the workspace (<c>hangUp</c>): neither Docker nor Kubernetes
/// ends an exec's process when its connection closes, so every closed connection used to leave a client attached
/// for as long as the workspace ran.</item>
/// </list>
/// </summary>
internal sealed class TerminalSession : IStreamSession
{
    const int Chunks = 64; // output waiting for a slow browser; a full channel slows the process, as a pipe would

    readonly IStreamSession inner;
    readonly Func<Task> hangUp;
    readonly Channel<byte[]> output = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Chunks) { SingleReader = true, SingleWriter = true });
    readonly CancellationTokenSource life = new();
    readonly Task pump;
    ReadOnlyMemory<byte> leftover = ReadOnlyMemory<byte>.Empty;
    volatile bool held = true;
    int disposed;

    public TerminalSession(WorkloadId workload, IStreamSession inner, bool keepable, Func<Task> hangUp)
    {
        Workload = workload;
        Keepable = keepable;
        this.inner = inner;
        this.hangUp = hangUp;
        pump = Task.Run(PumpAsync);
    }

    /// <summary>A person-in-control's session (a viewer's read-only client is never kept).</summary>
    public bool Keepable { get; }

    /// <summary>The container the exec runs in: a workspace made again (restore) has a new one.</summary>
    public WorkloadId Workload { get; }

    /// <summary>The last size a connection set, for the redraw on take-over; null until the first resize.</summary>
    public (int Columns, int Rows)? Size { get; private set; }

    /// <summary>Completes when the exec has ended (tmux detached, the workspace stopped or the stream broke).</summary>
    public Task Ended => pump;

    public bool Tty => inner.Tty;

    async Task PumpAsync()
    {
        var buffer = new byte[GatewaySocket.BufferSize];
        try
        {
            while (true)
            {
                var read = await inner.ReadAsync(buffer, CancellationToken.None);
                if (read.Count == 0)
                {
                    return;
                }
                if (held)
                {
                    await output.Writer.WriteAsync(buffer.AsSpan(0, read.Count).ToArray(), life.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or PlatformException)
        {
            // disposed, or the engine's stream broke: either way the exec is over for us
        }
        finally
        {
            output.Writer.TryComplete();
        }
    }

    /// <summary>Nobody reads any more: output is dropped from now on (what is waiting too).</summary>
    public void Release()
    {
        held = false;
        Drain();
    }

    /// <summary>
    /// A new connection holds it: output flows again, and a size change makes tmux send the whole screen (the
    /// kernel signals a terminal only when its size really changes, so the size goes one row down and back).
    /// </summary>
    // What waited for a reader that left is stale: the take-over redraws the whole screen.
    void Drain()
    {
        while (output.Reader.TryRead(out _))
        {
        }
    }

    public async Task TakeOverAsync(CancellationToken ct)
    {
        Drain();
        held = true;
        var (columns, rows) = Size ?? (80, 24);
        await inner.ResizeAsync(columns, rows > 1 ? rows - 1 : rows + 1, ct);
        await ResizeAsync(columns, rows, ct);
    }

    public async ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (leftover.IsEmpty)
        {
            if (!await output.Reader.WaitToReadAsync(ct) || !output.Reader.TryRead(out var chunk))
            {
                return new StreamRead(0, OutputStream.Stdout);
            }
            leftover = chunk;
        }
        var count = Math.Min(buffer.Length, leftover.Length);
        leftover[..count].CopyTo(buffer);
        leftover = leftover[count..];
        return new StreamRead(count, OutputStream.Stdout);
    }

    // Keystrokes and sizes run on the exec's lifetime, not the connection's (a cancelled write could close the
    // engine's stream); the connection only stops waiting for them.
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct) =>
        await inner.WriteAsync(data, life.Token).AsTask().WaitAsync(ct);

    public Task CloseInputAsync(CancellationToken ct) => inner.CloseInputAsync(life.Token).WaitAsync(ct);

    public async Task ResizeAsync(int columns, int rows, CancellationToken ct)
    {
        await inner.ResizeAsync(columns, rows, life.Token).WaitAsync(ct);
        Size = (columns, rows);
    }

    public Task<int?> GetExitCodeAsync(CancellationToken ct) => inner.GetExitCodeAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        var running = !pump.IsCompleted;
        await life.CancelAsync();
        await inner.DisposeAsync();
        await TerminalBridge.Quietly(pump);
        life.Dispose();
        if (running)
        {
            await hangUp();
        }
    }
}
