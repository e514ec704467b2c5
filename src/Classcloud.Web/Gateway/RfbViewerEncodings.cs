using System.Buffers.Binary;

namespace Classcloud.Web.Gateway;

/// <summary>
/// What a viewer's connection may negotiate, so that <see cref="RfbServerFilter"/> can size every
/// server message: the encodings whose rectangles carry their own length (Raw, CopyRect, RRE, Zlib,
/// ZRLE — TigerVNC picks ZRLE when Tight is not offered) and the pseudo-encodings whose data is
/// sized by their header. Tight, Hextile, H.264 and the cursor and key extensions are taken out of
/// a viewer's SetEncodings, and so is the extended clipboard (its messages would be dropped anyway).
/// Also carries the pixel size, which Raw, RRE and Cursor rectangles depend on.
/// </summary>
public sealed class RfbViewerEncodings(int bytesPerPixel)
{
    public const int Raw = 0;
    public const int CopyRect = 1;
    public const int Rre = 2;
    public const int Zlib = 6;
    public const int Zrle = 16;
    public const int Cursor = -239;
    public const int DesktopSize = -223;
    public const int LastRect = -224;
    public const int ExtendedDesktopSize = -308;
    public const int DesktopName = -307;
    public const int Fence = -312;
    public const int ContinuousUpdates = -313;

    // Hints to the server that never come back as rectangles: JPEG quality and compression level.
    static bool IsHint(int encoding) => encoding is (>= -32 and <= -23) or (>= -256 and <= -247);

    int bytesPerPixel = bytesPerPixel;

    /// <summary>The bytes of one pixel in the format the viewer asked for (ServerInit's until SetPixelFormat).</summary>
    public int BytesPerPixel => Volatile.Read(ref bytesPerPixel);

    /// <summary>From a SetPixelFormat message's bits-per-pixel; false when RFB does not allow it.</summary>
    public bool SetBitsPerPixel(byte bits)
    {
        if (bits is not (8 or 16 or 32))
        {
            return false;
        }
        Volatile.Write(ref bytesPerPixel, bits / 8);
        return true;
    }

    /// <summary>Whether a viewer may ask for the encoding.</summary>
    public static bool Allowed(int encoding) =>
        IsHint(encoding) || encoding is Raw or CopyRect or Rre or Zlib or Zrle or Cursor or DesktopSize or LastRect
            or ExtendedDesktopSize or DesktopName or Fence or ContinuousUpdates;

    /// <summary>A whole SetEncodings message with only the allowed encodings, in the client's order.</summary>
    public static byte[] Rewrite(IReadOnlyList<byte> message)
    {
        var kept = new List<int>();
        for (var i = 4; i + 4 <= message.Count; i += 4)
        {
            var encoding = BinaryPrimitives.ReadInt32BigEndian([message[i], message[i + 1], message[i + 2], message[i + 3]]);
            if (Allowed(encoding))
            {
                kept.Add(encoding);
            }
        }
        var result = new byte[4 + (4 * kept.Count)];
        result[0] = message[0];
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)kept.Count);
        for (var i = 0; i < kept.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(4 + (4 * i)), kept[i]);
        }
        return result;
    }
}
