using System.Buffers.Binary;

namespace Classcloud.Web.Gateway;

/// <summary>
/// For viewers, parses the VNC server's messages (RFC 6143 §7.6) as a stream and drops
/// ServerCutText (type 3, plain or extended clipboard), so a view-only guest never receives the
/// owner's clipboard. RFB has no way to turn the server's clipboard off for one connection, so the
/// stream has to be parsed; what makes that possible is that the gateway decides which encodings a
/// viewer negotiates (<see cref="RfbViewerEncodings"/>): only ones whose rectangles can be sized
/// from their headers. Every other byte passes through unchanged and as it comes (large rectangles
/// are never buffered, and a zlib stream carried across rectangles is left intact). Anything that
/// cannot be sized ends the connection: we could not tell where the next message starts.
/// People in control receive the server's stream untouched.
/// </summary>
public sealed class RfbServerFilter(bool canControl, RfbViewerEncodings format)
{
    enum Step { Type, UpdateHeader, RectHeader, RectExtra, ColourMap, CutText, Fence }

    readonly List<byte> header = new(16);
    Step step = Step.Type;
    int headerNeed = 1;
    long bodyRemaining;
    bool dropping;
    int rectsLeft;
    int encoding;
    long rectPixels;
    int rectWidth;
    int rectHeight;

    /// <summary>Why the stream was refused, once <see cref="Push"/> has returned false.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Takes the next chunk from the server and appends every byte that may pass to <paramref name="forward"/>;
    /// false when the stream must be closed (see <see cref="Failure"/>).
    /// </summary>
    public bool Push(ReadOnlySpan<byte> chunk, List<byte> forward)
    {
        if (Failure is not null)
        {
            return false;
        }
        if (canControl)
        {
            forward.AddRange(chunk);
            return true;
        }
        while (!chunk.IsEmpty)
        {
            if (bodyRemaining > 0)
            {
                var take = (int)Math.Min(bodyRemaining, chunk.Length);
                if (!dropping)
                {
                    forward.AddRange(chunk[..take]);
                }
                bodyRemaining -= take;
                chunk = chunk[take..];
                if (bodyRemaining == 0)
                {
                    BodyDone();
                }
                continue;
            }
            var b = chunk[0];
            chunk = chunk[1..];
            if (step == Step.Type)
            {
                // Decided on the type byte itself, so not even the type of a dropped message passes.
                dropping = b == ServerCutText;
                if (b is not (FramebufferUpdate or SetColourMapEntries or Bell or ServerCutText or EndOfContinuousUpdates or ServerFence))
                {
                    Failure = $"unknown server message type {b}";
                    return false;
                }
            }
            header.Add(b);
            if (!dropping)
            {
                forward.Add(b);
            }
            if (header.Count == headerNeed && !HeaderDone())
            {
                return false;
            }
        }
        return true;
    }

    const byte FramebufferUpdate = 0;
    const byte SetColourMapEntries = 1;
    const byte Bell = 2;
    const byte ServerCutText = 3;
    const byte EndOfContinuousUpdates = 150;
    const byte ServerFence = 248;
    const int MaxFencePayload = 64;

    // A header (counted after the type byte) is complete: say what comes next (more header, a body of a known length, or the next message).
    bool HeaderDone()
    {
        var h = header;
        switch (step)
        {
            case Step.Type:
                return h[0] switch
                {
                    FramebufferUpdate => Expect(Step.UpdateHeader, 3),
                    SetColourMapEntries => Expect(Step.ColourMap, 5),
                    ServerCutText => Expect(Step.CutText, 7),
                    ServerFence => Expect(Step.Fence, 8),
                    _ => NextMessage(), // Bell, EndOfContinuousUpdates: the type byte is the whole message
                };
            case Step.UpdateHeader:
                rectsLeft = U16(1);
                return rectsLeft == 0 ? NextMessage() : NextRect();
            case Step.ColourMap:
                return Body(6L * U16(3));
            case Step.CutText:
                // s32 length; negative is the extended clipboard format with |length| bytes. Skipped, never kept.
                return Body(Math.Abs((long)BinaryPrimitives.ReadInt32BigEndian(Span(3, 4))));
            case Step.Fence:
                if (h[7] > MaxFencePayload)
                {
                    return Fail($"server fence payload of {h[7]} bytes");
                }
                return Body(h[7]);
            case Step.RectHeader:
                rectWidth = U16(4);
                rectHeight = U16(6);
                rectPixels = (long)rectWidth * rectHeight;
                encoding = BinaryPrimitives.ReadInt32BigEndian(Span(8, 4));
                return RectBody();
            case Step.RectExtra:
                return RectExtraDone();
            default:
                return Fail($"parser in step {step}");
        }
    }

    // The data of one rectangle, by its encoding; only the encodings RfbViewerEncodings lets a viewer ask for.
    bool RectBody()
    {
        var bpp = format.BytesPerPixel;
        switch (encoding)
        {
            case RfbViewerEncodings.Raw:
                return Body(rectPixels * bpp);
            case RfbViewerEncodings.CopyRect:
                return Body(4);
            case RfbViewerEncodings.Rre:
                return Expect(Step.RectExtra, 4 + bpp); // u32 sub-rectangles, background pixel
            case RfbViewerEncodings.Zlib or RfbViewerEncodings.Zrle:
                return Expect(Step.RectExtra, 4); // u32 length of the compressed data
            case RfbViewerEncodings.Cursor:
                return Body((rectPixels * bpp) + ((long)((rectWidth + 7) / 8) * rectHeight));
            case RfbViewerEncodings.DesktopSize:
                return Body(0);
            case RfbViewerEncodings.LastRect:
                rectsLeft = 1; // the update ends here whatever its count said
                return Body(0);
            case RfbViewerEncodings.ExtendedDesktopSize:
                return Expect(Step.RectExtra, 4); // u8 screens, padding
            case RfbViewerEncodings.DesktopName:
                return Expect(Step.RectExtra, 4); // u32 name length
            default:
                return Fail($"rectangle encoding {encoding} that the viewer was not allowed to negotiate");
        }
    }

    bool RectExtraDone()
    {
        var n = BinaryPrimitives.ReadUInt32BigEndian(Span(0, 4));
        return encoding switch
        {
            RfbViewerEncodings.Rre => Body(n * (format.BytesPerPixel + 8L)),
            RfbViewerEncodings.ExtendedDesktopSize => Body(16L * header[0]),
            _ => Body(n), // Zlib, ZRLE, DesktopName: the length itself
        };
    }

    bool Expect(Step next, int bytes)
    {
        step = next;
        header.Clear();
        headerNeed = bytes;
        return true;
    }

    bool Body(long bytes)
    {
        header.Clear();
        bodyRemaining = bytes;
        if (bytes == 0)
        {
            BodyDone();
        }
        return true;
    }

    // A body has been passed or skipped: the next rectangle of the update, or the next message.
    void BodyDone()
    {
        if (step is Step.RectHeader or Step.RectExtra && --rectsLeft > 0)
        {
            NextRect();
            return;
        }
        NextMessage();
    }

    bool NextRect() => Expect(Step.RectHeader, 12);

    bool NextMessage()
    {
        dropping = false;
        return Expect(Step.Type, 1);
    }

    bool Fail(string why)
    {
        Failure = why;
        return false;
    }

    int U16(int at) => (header[at] << 8) | header[at + 1];

    byte[] Span(int at, int count) => [.. header.GetRange(at, count)];
}
