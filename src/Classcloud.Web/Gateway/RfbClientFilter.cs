using System.Buffers.Binary;

namespace Classcloud.Web.Gateway;

/// <summary>
/// For viewers, parses the browser's RFB messages after the handshake (RFC 6143 §7.5) as a
/// stream, whatever way they are cut into WebSocket frames, and forwards only whole messages that
/// do not act on the desktop. This is the security boundary of view only: KeyEvent, PointerEvent,
/// ClientCutText (and QEMU key events, desktop resize, xvp power actions) are dropped, and a
/// message type we cannot size ends the connection (we could not tell where the next message
/// starts). The server only ever sees messages as we framed them, so it cannot read a dropped
/// message's bytes differently. People in control pass through untouched: nothing of theirs is
/// dropped, so there is nothing to parse (and no extension of theirs can trip the parser).
/// A viewer's SetEncodings is cut down to what <see cref="RfbServerFilter"/> can size on the way
/// back (<see cref="RfbViewerEncodings"/>), and its pixel format is noted for the same reason; a
/// pixel format change after the first update request is refused, since an update in flight would
/// be in a format the server filter could not know.
/// </summary>
public sealed class RfbClientFilter(bool canControl, RfbViewerEncodings? format = null)
{
    /// <summary>The longest clipboard message a viewer may send (it is skipped, never kept).</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    // Bytes of the message being read (only its header while it is dropped); never more than MaxMessageBytes.
    readonly List<byte> pending = [];
    int dropRemaining;
    bool requested;

    /// <summary>The encodings and pixel size this viewer negotiated, shared with its <see cref="RfbServerFilter"/>.</summary>
    public RfbViewerEncodings Format { get; } = format ?? new RfbViewerEncodings(4);

    /// <summary>Why the stream was refused, once <see cref="Push"/> has returned false.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Takes the next chunk from the browser and appends every byte that may pass to <paramref name="forward"/>;
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
            AddRange(forward, chunk);
            return true;
        }
        while (!chunk.IsEmpty)
        {
            if (dropRemaining > 0)
            {
                var skip = Math.Min(dropRemaining, chunk.Length);
                dropRemaining -= skip;
                chunk = chunk[skip..];
                continue;
            }
            // Take bytes until the message's length is known, then until it is complete.
            pending.Add(chunk[0]);
            chunk = chunk[1..];
            var need = Length(out var failure);
            if (failure is not null)
            {
                Failure = failure;
                pending.Clear();
                return false;
            }
            if (need is not { } total)
            {
                continue;
            }
            if (!Passes(pending[0]))
            {
                // A dropped message is skipped without buffering its body (clipboard text can be long).
                dropRemaining = total - pending.Count;
                pending.Clear();
                continue;
            }
            var take = Math.Min(total - pending.Count, chunk.Length);
            AddRange(pending, chunk[..take]);
            chunk = chunk[take..];
            if (pending.Count == total)
            {
                if (!Complete(forward))
                {
                    pending.Clear();
                    return false;
                }
                pending.Clear();
            }
        }
        return true;
    }

    // View only: input, clipboard, desktop resize and power actions (xvp) never reach the server.
    static bool Passes(byte type) => type is not (KeyEvent or PointerEvent or ClientCutText or SetDesktopSize or Xvp or Qemu);

    const byte SetPixelFormat = 0;
    const byte SetEncodings = 2;
    const byte FramebufferUpdateRequest = 3;
    const byte KeyEvent = 4;
    const byte PointerEvent = 5;
    const byte ClientCutText = 6;
    const byte EnableContinuousUpdates = 150;
    const byte ClientFence = 248;
    const byte Xvp = 250;
    const byte SetDesktopSize = 251;
    const byte Qemu = 255;

    /// <summary>The whole length of the pending message once its header says it; null while more header bytes are needed.</summary>
    int? Length(out string? failure)
    {
        failure = null;
        var m = pending;
        switch (m[0])
        {
            case SetPixelFormat:
                return 20;
            case FramebufferUpdateRequest or EnableContinuousUpdates:
                return 10;
            case KeyEvent:
                return 8;
            case PointerEvent:
                // six bytes: the extended form needs ExtendedMouseButtons, which a viewer cannot negotiate
                return 6;
            case Xvp:
                return 4;
            case SetEncodings:
                // padding, then a u16 count of s32 encodings
                return m.Count < 4 ? null : 4 + (4 * ((m[2] << 8) | m[3]));
            case ClientFence:
                // padding ×3, u32 flags, u8 length, payload
                return m.Count < 9 ? null : 9 + m[8];
            case SetDesktopSize:
                // padding, u16 width, u16 height, u8 screens, padding, 16 bytes a screen
                return m.Count < 7 ? null : 8 + (16 * m[6]);
            case Qemu:
                // only the extended key event (sub-type 0) is known; other sub-types cannot be sized
                if (m.Count < 2)
                {
                    return null;
                }
                if (m[1] == 0)
                {
                    return 12;
                }
                failure = $"unknown QEMU client message sub-type {m[1]}";
                return null;
            case ClientCutText:
                if (m.Count < 8)
                {
                    return null;
                }
                // padding ×3, then an s32 length; negative means the extended clipboard format with |length| bytes.
                var length = BinaryPrimitives.ReadInt32BigEndian([m[4], m[5], m[6], m[7]]);
                var body = Math.Abs((long)length);
                if (body > MaxMessageBytes - 8)
                {
                    failure = $"clipboard data of {body} bytes is over the limit";
                    return null;
                }
                return 8 + (int)body;
            default:
                failure = $"unknown client message type {m[0]}";
                return null;
        }
    }

    // A whole viewer message that passes: encodings cut down, the pixel format noted (and only before updates flow).
    bool Complete(List<byte> forward)
    {
        switch (pending[0])
        {
            case SetEncodings:
                forward.AddRange(RfbViewerEncodings.Rewrite(pending));
                return true;
            case SetPixelFormat when requested:
                Failure = "a viewer changed the pixel format after asking for updates";
                return false;
            case SetPixelFormat when !Format.SetBitsPerPixel(pending[4]):
                Failure = $"pixel format of {pending[4]} bits per pixel";
                return false;
            case FramebufferUpdateRequest or EnableContinuousUpdates:
                requested = true;
                break;
        }
        forward.AddRange(pending);
        return true;
    }

    static void AddRange(List<byte> list, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            list.Add(b);
        }
    }
}
