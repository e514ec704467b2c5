using Classcloud.Web.Gateway;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>The view-only filter over recorded client streams, cut into frames every possible way.</summary>
public sealed class RfbClientFilterTests
{
    // One of every client message noVNC can send to TigerVNC, as bytes on the wire.
    static readonly byte[] PixelFormat = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
    static readonly byte[] Encodings = [2, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 0, 0xff, 0xff, 0xfe, 0xcc];
    static readonly byte[] ViewerEncodings = [2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xfe, 0xcc]; // Tight (7) taken out
    static readonly byte[] UpdateRequest = [3, 1, 0, 0, 0, 0, 4, 0, 3, 0];
    static readonly byte[] Key = [4, 1, 0, 0, 0, 0, 0, 0x61];
    static readonly byte[] Pointer = [5, 1, 0, 10, 0, 20];
    static readonly byte[] CutText = [6, 0, 0, 0, 0, 0, 0, 2, (byte)'h', (byte)'i'];
    static readonly byte[] ExtendedClipboard = [6, 0, 0, 0, 0xff, 0xff, 0xff, 0xf8, 0x10, 0, 0, 1, 0, 0, 0, 0]; // length -8
    static readonly byte[] ContinuousUpdates = [150, 1, 0, 0, 0, 0, 4, 0, 3, 0];
    static readonly byte[] Fence = [248, 0, 0, 0, 0x80, 0, 0, 3, 4, 1, 2, 3, 4];
    static readonly byte[] DesktopSize = [251, 0, 4, 0, 3, 0, 1, 0, .. new byte[16]];
    static readonly byte[] QemuKey = [255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0x1e];
    static readonly byte[] Xvp = [250, 0, 1, 2];

    static readonly byte[][] All = [PixelFormat, Encodings, UpdateRequest, Key, Pointer, CutText, ExtendedClipboard, ContinuousUpdates, Fence, DesktopSize, QemuKey, Xvp, UpdateRequest];
    static readonly byte[][] ViewerKeeps = [PixelFormat, ViewerEncodings, UpdateRequest, ContinuousUpdates, Fence, UpdateRequest];

    static byte[] Concat(IEnumerable<byte[]> parts) => [.. parts.SelectMany(p => p)];

    static byte[] Run(bool canControl, IEnumerable<byte[]> chunks, bool expectOk = true)
    {
        var filter = new RfbClientFilter(canControl);
        var forward = new List<byte>();
        var ok = chunks.All(chunk => filter.Push(chunk, forward));
        Assert.Equal(expectOk, ok);
        return [.. forward];
    }

    static IEnumerable<byte[][]> EverySplit(byte[] stream)
    {
        for (var i = 0; i <= stream.Length; i++)
        {
            yield return [stream[..i], stream[i..]];
        }
        yield return [.. stream.Select(b => new[] { b })];
        yield return [stream];
    }

    [Fact]
    public void Controller_stream_passes_unchanged_however_it_is_cut()
    {
        var stream = Concat(All);
        foreach (var chunks in EverySplit(stream))
        {
            Assert.Equal(stream, Run(canControl: true, chunks));
        }
    }

    [Fact]
    public void Viewer_input_clipboard_resize_and_power_messages_are_dropped_however_the_stream_is_cut()
    {
        var stream = Concat(All);
        var expected = Concat(ViewerKeeps);
        foreach (var chunks in EverySplit(stream))
        {
            Assert.Equal(expected, Run(canControl: false, chunks));
        }
    }

    [Fact]
    public void Three_way_splits_of_input_messages_lose_nothing_and_leak_nothing()
    {
        var stream = Concat([Key, UpdateRequest, CutText, Pointer, ExtendedClipboard, UpdateRequest]);
        for (var i = 0; i <= stream.Length; i++)
        {
            for (var j = i; j <= stream.Length; j++)
            {
                byte[][] chunks = [stream[..i], stream[i..j], stream[j..]];
                Assert.Equal(Concat([UpdateRequest, UpdateRequest]), Run(canControl: false, chunks));
                Assert.Equal(stream, Run(canControl: true, chunks));
            }
        }
    }

    [Fact]
    public void Many_messages_in_one_frame()
    {
        var stream = Concat(Enumerable.Repeat(Concat([Pointer, Key, UpdateRequest]), 500));
        Assert.Equal(Concat(Enumerable.Repeat(UpdateRequest, 500)), Run(canControl: false, [stream]));
    }

    [Fact]
    public void A_long_viewer_clipboard_message_is_skipped_without_keeping_it()
    {
        var text = new byte[200_000];
        Array.Fill(text, (byte)'x');
        byte[] cut = [6, 0, 0, 0, 0, 3, 0x0d, 0x40, .. text];
        var stream = Concat([cut, UpdateRequest]);
        Assert.Equal(UpdateRequest, Run(canControl: false, stream.Chunk(4096)));
    }

    [Fact]
    public void Unknown_message_type_from_a_viewer_refuses_the_stream_after_forwarding_what_came_before()
    {
        var filter = new RfbClientFilter(canControl: false);
        var forward = new List<byte>();
        Assert.False(filter.Push(Concat([UpdateRequest, [7, 0, 0, 0], Pointer]), forward));
        Assert.Equal(UpdateRequest, forward.ToArray());
        Assert.Equal("unknown client message type 7", filter.Failure);
        Assert.False(filter.Push(UpdateRequest, forward));
        Assert.Equal(UpdateRequest, forward.ToArray());
    }

    [Fact]
    public void Controller_bytes_pass_as_they_come_even_unknown_ones()
    {
        byte[] stream = [.. UpdateRequest, 7, 0, 0, 0, 99, .. Key];
        Assert.Equal(stream, Run(canControl: true, [stream]));
    }

    [Fact]
    public void A_viewer_cannot_negotiate_extended_pointer_events_so_its_pointer_events_stay_six_bytes()
    {
        byte[] extendedMouse = [2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xfe, 0xc4]; // Raw, ExtendedMouseButtons (-316)
        byte[] markedPointer = [5, 0x81, 0, 10, 0, 20];
        var stream = Concat([extendedMouse, markedPointer, UpdateRequest, Pointer, UpdateRequest]);
        foreach (var chunks in EverySplit(stream))
        {
            Assert.Equal(Concat([[2, 0, 0, 1, 0, 0, 0, 0], UpdateRequest, UpdateRequest]), Run(canControl: false, chunks));
        }
    }

    [Fact]
    public void A_viewer_pixel_format_is_noted_and_refused_once_updates_were_asked_for()
    {
        var filter = new RfbClientFilter(canControl: false, new RfbViewerEncodings(4));
        byte[] sixteen = [0, 0, 0, 0, 16, 16, 0, 1, 0, 31, 0, 63, 0, 31, 11, 5, 0, 0, 0, 0];
        Assert.True(filter.Push(sixteen, []));
        Assert.Equal(2, filter.Format.BytesPerPixel);
        Assert.True(filter.Push(UpdateRequest, []));
        Assert.False(filter.Push(PixelFormat, []));
        Assert.Equal("a viewer changed the pixel format after asking for updates", filter.Failure);
        Assert.Equal(2, filter.Format.BytesPerPixel);
        Assert.True(new RfbClientFilter(canControl: true).Push(Concat([UpdateRequest, PixelFormat]), []));
    }

    [Fact]
    public void Unknown_qemu_sub_type_refuses_the_stream()
    {
        var filter = new RfbClientFilter(canControl: false);
        Assert.False(filter.Push([255, 1, 0, 0], []));
        Assert.Equal("unknown QEMU client message sub-type 1", filter.Failure);
    }

    [Fact]
    public void Viewer_clipboard_over_the_limit_refuses_the_stream()
    {
        var filter = new RfbClientFilter(canControl: false);
        Assert.False(filter.Push([6, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff], []));
        Assert.False(new RfbClientFilter(canControl: false).Push([6, 0, 0, 0, 0x80, 0, 0, 0], [])); // int.MinValue
        Assert.NotNull(filter.Failure);
    }
}
