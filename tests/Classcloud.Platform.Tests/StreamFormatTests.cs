using System.Buffers.Binary;
using System.Text;
using Classcloud.Platform.Docker;

namespace Classcloud.Platform.Tests;

/// <summary>The engine's wire formats, on bytes we make (the engine tests cover the same paths for real).</summary>
public sealed class StreamFormatTests
{
    [Fact]
    public async Task Multiplexed_frames_are_split_by_stream_even_when_reads_cut_them()
    {
        var wire = new MemoryStream([.. Frame(1, "out-1\n"), .. Frame(2, "err\n"), .. Frame(1, "out-2\n")]);
        var reader = new MultiplexedReader(new TrickleStream(wire, 3));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var buffer = new byte[4];
        while (await reader.ReadAsync(buffer, CancellationToken.None) is { Count: > 0 } read)
        {
            (read.Stream == OutputStream.Stderr ? stderr : stdout).Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
        Assert.Equal("out-1\nout-2\n", stdout.ToString());
        Assert.Equal("err\n", stderr.ToString());
    }

    [Fact]
    public async Task A_stream_cut_inside_a_frame_is_an_error()
    {
        var reader = new MultiplexedReader(new MemoryStream(Frame(1, "hello")[..10]));
        var buffer = new byte[64];
        Assert.Equal(2, (await reader.ReadAsync(buffer, CancellationToken.None)).Count);
        await Assert.ThrowsAsync<PlatformException>(() => reader.ReadAsync(buffer, CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData("classcloud-test/base:1", "classcloud-test/base", "1")]
    [InlineData("127.0.0.1:5000/classcloud/terminal", "127.0.0.1:5000/classcloud/terminal", "latest")]
    [InlineData("127.0.0.1:5000/a/b:v2", "127.0.0.1:5000/a/b", "v2")]
    public void Image_references_split_into_repository_and_tag(string reference, string repository, string tag) =>
        Assert.Equal((repository, tag), ImageReference.Split(reference));

    static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>Hands out at most a few bytes per read, as a slow socket would.</summary>
    sealed class TrickleStream(Stream inner, int max) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, max));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, max)], cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
