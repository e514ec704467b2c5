namespace Classcloud.Web.Privacy;

/// <summary>
/// Lets <see cref="System.IO.Compression.ZipArchive"/> write to a response, which refuses synchronous writes:
/// asynchronous writes pass straight through, while the few synchronous ones ZipArchive still makes (an entry's
/// last compressed bytes and its data descriptor, written when the entry stream is disposed) are held here until
/// <see cref="DrainAsync"/>. What is held is small — one entry's tail — so the archive still streams.
/// </summary>
public sealed class AsyncOnlyStream(Stream inner) : Stream
{
    readonly MemoryStream held = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => held.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => held.Write(buffer);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what synchronous writes left behind, in order.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        if (held.Length == 0)
        {
            return;
        }
        await inner.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), ct);
        held.SetLength(0);
    }

    public override void Flush()
    {
        // Nothing to do synchronously: DrainAsync and FlushAsync send.
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            held.Dispose();
        }
        base.Dispose(disposing);
    }
}
