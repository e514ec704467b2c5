namespace Classcloud.Platform.Docker;

/// <summary>An exec or attach connection: raw bytes with a TTY, demultiplexed frames without.</summary>
internal sealed class DockerSession(
    HijackedStream connection,
    bool tty,
    Func<int, int, CancellationToken, Task> resize,
    Func<CancellationToken, Task<int?>> exitCode) : IStreamSession
{
    readonly MultiplexedReader? demux = tty ? null : new MultiplexedReader(connection.Stream);
    int disposed;

    public bool Tty => tty;

    public async ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (demux is not null)
        {
            return await demux.ReadAsync(buffer, ct);
        }
        return new StreamRead(await connection.Stream.ReadAsync(buffer, ct), OutputStream.Stdout);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await connection.Stream.WriteAsync(data, ct);
        await connection.Stream.FlushAsync(ct);
    }

    public Task CloseInputAsync(CancellationToken ct) => connection.CloseWriteAsync();

    public Task ResizeAsync(int columns, int rows, CancellationToken ct)
    {
        if (!tty)
        {
            throw new InvalidOperationException("Only a session with a TTY can be resized.");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return resize(columns, rows, ct);
    }

    public Task<int?> GetExitCodeAsync(CancellationToken ct) => exitCode(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await connection.DisposeAsync();
        }
    }
}
