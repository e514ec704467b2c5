using System.Security.Cryptography;
using System.Text;

namespace Classcloud.Web.Gateway;

/// <summary>
/// VNC Authentication (RFC 6143 §7.2.2): the client encrypts the server's 16-byte challenge with
/// DES in ECB mode, keyed by the password's first 8 bytes (zero-padded) with the bits of every
/// byte reversed — the historical quirk of the original d3des code, which every VNC server keeps.
/// </summary>
public static class VncAuth
{
    public const int ChallengeLength = 16;

    /// <summary>The DES key for a password: its first 8 bytes (Latin-1, zero-padded), each byte bit-reversed.</summary>
    public static byte[] Key(string password)
    {
        var key = new byte[8];
        var bytes = Encoding.Latin1.GetBytes(password);
        for (var i = 0; i < key.Length && i < bytes.Length; i++)
        {
            key[i] = Reverse(bytes[i]);
        }
        return key;
    }

    /// <summary>The 16-byte response to a challenge; null when the password makes a key DES refuses as weak (e.g. empty).</summary>
    public static byte[]? Respond(ReadOnlySpan<byte> challenge, string password)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new ArgumentException("A VNC challenge has 16 bytes.", nameof(challenge));
        }
        return Encrypt(Key(password), challenge);
    }

    /// <summary>DES-ECB of whole 8-byte blocks under a raw key; null for a weak key.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "DES is what the VNC protocol defines; it guards only the link to the workspace's own VNC server.")]
    public static byte[]? Encrypt(byte[] key, ReadOnlySpan<byte> blocks)
    {
        if (DES.IsWeakKey(key) || DES.IsSemiWeakKey(key))
        {
            return null;
        }
        using var des = DES.Create();
        des.Key = key;
        return des.EncryptEcb(blocks, PaddingMode.None);
    }

    static byte Reverse(byte b)
    {
        var r = 0;
        for (var i = 0; i < 8; i++)
        {
            r = (r << 1) | ((b >> i) & 1);
        }
        return (byte)r;
    }
}
