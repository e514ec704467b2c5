using System.Buffers.Binary;
using System.Text;
using Classcloud.Web.Gateway;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>
/// The server → viewer filter over scripted server streams, cut every possible way: the clipboard
/// never reaches a viewer, every other byte does, and a rectangle's data that happens to look like
/// a ServerCutText is passed (the stream is parsed, not scanned).
/// </summary>
public sealed class RfbServerFilterTests
{
    static byte[] Rect(int width, int height, int encoding, params byte[] data)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)height);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), encoding);
        return [.. header, .. data];
    }

    static byte[] Update(ushort count, params byte[][] rects) => [0, 0, (byte)(count >> 8), (byte)count, .. rects.SelectMany(r => r)];

    static byte[] U32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    // Pixel data full of 3s: a filter that looked for type-3 bytes instead of parsing would cut here.
    static readonly byte[] Pixels = [.. Enumerable.Repeat((byte)3, 16)];

    internal static readonly byte[] FramebufferUpdate = Update(8,
        Rect(2, 2, RfbViewerEncodings.Raw, Pixels),
        Rect(2, 2, RfbViewerEncodings.CopyRect, 0, 3, 0, 3),
        Rect(2, 2, RfbViewerEncodings.Rre, [.. U32(1), 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 1, 0, 1]),
        Rect(2, 2, RfbViewerEncodings.Zrle, [.. U32(5), 3, 0, 0, 0, 9]),
        Rect(2, 2, RfbViewerEncodings.Cursor, [.. Pixels, 0xc0, 0xc0]),
        Rect(4, 3, RfbViewerEncodings.ExtendedDesktopSize, [1, 0, 0, 0, .. new byte[16]]),
        Rect(0, 0, RfbViewerEncodings.DesktopName, [.. U32(3), .. "abc"u8]),
        Rect(4, 3, RfbViewerEncodings.DesktopSize));

    internal static readonly byte[] CutText = [3, 0, 0, 0, .. U32(6), .. "secret"u8];
    static readonly byte[] ExtendedCutText = [3, 0, 0, 0, .. U32(-8), 0x10, 0, 0, 1, 3, 3, 3, 3];
    static readonly byte[] Bell = [2];
    static readonly byte[] ColourMap = [1, 0, 0, 0, 0, 1, 0, 3, 0, 3, 0, 3];
    static readonly byte[] Fence = [248, 0, 0, 0, 0x80, 0, 0, 3, 2, 3, 3];
    static readonly byte[] EndOfContinuousUpdates = [150];
    static readonly byte[] LastRectUpdate = Update(0xffff, Rect(1, 1, RfbViewerEncodings.Zlib, [.. U32(2), 3, 3]), Rect(0, 0, RfbViewerEncodings.LastRect));

    static readonly byte[][] All = [FramebufferUpdate, CutText, Bell, ExtendedCutText, ColourMap, Fence, EndOfContinuousUpdates, LastRectUpdate, CutText, Bell];
    static readonly byte[][] ViewerGets = [FramebufferUpdate, Bell, ColourMap, Fence, EndOfContinuousUpdates, LastRectUpdate, Bell];

    static byte[] Concat(IEnumerable<byte[]> parts) => [.. parts.SelectMany(p => p)];

    static (byte[] Forwarded, RfbServerFilter Filter) Run(bool canControl, IEnumerable<byte[]> chunks, int bytesPerPixel = 4)
    {
        var filter = new RfbServerFilter(canControl, new RfbViewerEncodings(bytesPerPixel));
        var forward = new List<byte>();
        foreach (var chunk in chunks)
        {
            if (!filter.Push(chunk, forward))
            {
                break;
            }
        }
        return ([.. forward], filter);
    }

    static IEnumerable<byte[][]> EverySplit(byte[] stream)
    {
        for (var i = 0; i <= stream.Length; i++)
        {
            yield return [stream[..i], stream[i..]];
        }
        yield return [.. stream.Select(b => new[] { b })];
    }

    [Fact]
    public void A_viewer_gets_everything_but_the_clipboard_however_the_stream_is_cut()
    {
        var stream = Concat(All);
        var expected = Concat(ViewerGets);
        foreach (var chunks in EverySplit(stream))
        {
            var (forwarded, filter) = Run(canControl: false, chunks);
            Assert.Null(filter.Failure);
            Assert.Equal(expected, forwarded);
        }
        Assert.DoesNotContain("secret", Encoding.ASCII.GetString(Run(canControl: false, [stream]).Forwarded), StringComparison.Ordinal);
    }

    [Fact]
    public void People_in_control_get_the_stream_unchanged_clipboard_included()
    {
        var stream = Concat([.. All, [77, 1, 2]]); // even a message type the filter does not know
        Assert.Equal(stream, Run(canControl: true, [stream]).Forwarded);
    }

    [Fact]
    public void Raw_rectangles_are_sized_by_the_pixel_format_the_viewer_chose()
    {
        byte[] update = Update(1, Rect(2, 2, RfbViewerEncodings.Raw, [.. Enumerable.Repeat((byte)3, 8)])); // 16 bits a pixel
        var stream = Concat([update, CutText, Bell]);
        Assert.Equal(Concat([update, Bell]), Run(canControl: false, [stream], bytesPerPixel: 2).Forwarded);
        var format = new RfbViewerEncodings(4);
        Assert.True(format.SetBitsPerPixel(16));
        Assert.Equal(2, format.BytesPerPixel);
        Assert.False(format.SetBitsPerPixel(24));
    }

    [Fact]
    public void A_long_clipboard_is_skipped_without_keeping_it()
    {
        var text = new byte[300_000];
        byte[] cut = [3, 0, 0, 0, .. U32(text.Length), .. text];
        var stream = Concat([cut, Bell]);
        Assert.Equal(Bell, Run(canControl: false, stream.Chunk(4096)).Forwarded);
    }

    [Fact]
    public void An_encoding_the_viewer_could_not_negotiate_or_an_unknown_message_refuses_the_stream()
    {
        var (forwarded, filter) = Run(canControl: false, [Concat([Bell, Update(1, Rect(2, 2, 7, 0, 0)), Bell])]); // Tight
        Assert.Equal("rectangle encoding 7 that the viewer was not allowed to negotiate", filter.Failure);
        Assert.False(filter.Push(Bell, []));
        Assert.Equal(Bell, forwarded[..1]);

        (forwarded, filter) = Run(canControl: false, [Concat([Bell, [77], CutText])]);
        Assert.Equal("unknown server message type 77", filter.Failure);
        Assert.Equal(Bell, forwarded);
    }

    [Fact]
    public void A_viewer_SetEncodings_keeps_only_what_the_server_filter_can_size_and_never_the_clipboard()
    {
        int[] novnc = [1, 7, -260, 16, 21, 5, 2, 6, 0, -26, -254, -223, -224, -258, -261, -308, -309, -312, -313, -307, unchecked((int)0xC0A1E5CE), -316, 0x574d5664, -239];
        var message = new byte[4 + (4 * novnc.Length)];
        message[0] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)novnc.Length);
        for (var i = 0; i < novnc.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4 + (4 * i)), novnc[i]);
        }
        var rewritten = RfbViewerEncodings.Rewrite(message);
        var kept = Enumerable.Range(0, BinaryPrimitives.ReadUInt16BigEndian(rewritten.AsSpan(2)))
            .Select(i => BinaryPrimitives.ReadInt32BigEndian(rewritten.AsSpan(4 + (4 * i)))).ToArray();
        Assert.Equal([1, 16, 2, 6, 0, -26, -254, -223, -224, -308, -312, -313, -307, -239], kept);
        Assert.Equal(4 + (4 * kept.Length), rewritten.Length);
    }
}
