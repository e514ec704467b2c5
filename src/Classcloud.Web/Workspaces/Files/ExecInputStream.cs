using Classcloud.Platform;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>
/// A write-only stream onto a process's stdin, so a <see cref="System.Formats.Tar.TarWriter"/> writes straight into
/// <c>tar -x</c> in the workspace without the archive being kept anywhere. Counts what it wrote.
/// </summary>
internal sealed class ExecInputStream(IStreamSession session, CancellationToken ct) : Stream
{
    long written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => written;

    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellationToken);
        await session.WriteAsync(buffer, linked.Token);
        written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // TarWriter's async path only writes asynchronously; a synchronous write would block a request thread on the engine.
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Write asynchronously.");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
