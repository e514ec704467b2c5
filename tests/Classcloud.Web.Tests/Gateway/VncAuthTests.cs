using System.Text;
using Classcloud.Web.Gateway;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>VNC Authentication's DES with bit-reversed keys, against vectors from other implementations.</summary>
public sealed class VncAuthTests
{
    // The fixed key TigerVNC (and the original d3des code) obfuscates stored passwords with; its
    // `tigervncpasswd -f` output is DES of the password under this key in VNC's key convention.
    static readonly byte[] ObfuscationKey = [23, 82, 107, 6, 35, 78, 88, 7];

    [Theory]
    [InlineData("password", "dbd83cfd727a1458")]
    [InlineData("classcloud", "f276ac86f79f9781")] // only the first 8 bytes count
    [InlineData("12345678", "f0e43164f6c2e373")]
    public void Matches_tigervncpasswd(string password, string expectedHex)
    {
        var plain = new byte[8];
        Encoding.Latin1.GetBytes(password[..Math.Min(8, password.Length)]).CopyTo(plain, 0);
        var key = VncAuth.Key(Encoding.Latin1.GetString(ObfuscationKey));
        Assert.Equal(expectedHex, Convert.ToHexStringLower(VncAuth.Encrypt(key, plain)!));
    }

    [Fact]
    public void Plain_DES_matches_the_textbook_vector()
    {
        // FIPS 46 worked example: key 133457799BBCDFF1, plaintext 0123456789ABCDEF.
        var cipher = VncAuth.Encrypt(Convert.FromHexString("133457799BBCDFF1"), Convert.FromHexString("0123456789ABCDEF"));
        Assert.Equal("85e813540f0ab405", Convert.ToHexStringLower(cipher!));
    }

    [Fact]
    public void Key_reverses_the_bits_of_each_byte_and_pads_with_zeros()
    {
        Assert.Equal(new byte[] { 0x86, 0x46, 0xc6, 0, 0, 0, 0, 0 }, VncAuth.Key("abc")); // 'a' = 0x61 = 01100001 → 10000110
        Assert.Equal(VncAuth.Key("12345678"), VncAuth.Key("123456789"));
    }

    [Fact]
    public void Response_covers_both_halves_of_the_challenge_and_a_weak_key_is_refused()
    {
        var challenge = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var response = VncAuth.Respond(challenge, "secret")!;
        Assert.Equal(16, response.Length);
        Assert.Equal(VncAuth.Encrypt(VncAuth.Key("secret"), challenge.AsSpan(8))!, response[8..]);
        Assert.Null(VncAuth.Respond(challenge, ""));
    }
}
