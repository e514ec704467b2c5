using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Gateway;

/// <summary>The RFB handshake went wrong; the message says how (for the log, not for people).</summary>
public sealed class RfbException(string message) : Exception(message);

/// <summary>
/// The two halves of the RFB handshake the gateway does (RFC 6143 §7.1–7.3). It authenticates to
/// the workspace's VNC server itself (the password never reaches the browser), asks for a shared
/// session (everyone sees the same desktop), and offers the browser security type None — the
/// browser has already been authenticated and authorized by Classcloud.
/// </summary>
public static partial class RfbHandshake
{
    const int MaxReasonBytes = 4096;
    const int MaxNameBytes = 4096;
    const byte SecurityNone = 1;
    const byte SecurityVncAuth = 2;

    static readonly byte[] Version38 = "RFB 003.008\n"u8.ToArray();

    /// <summary>Reads exactly the requested bytes from the peer; fails on end of stream.</summary>
    public delegate ValueTask ReadExactly(Memory<byte> buffer, CancellationToken ct);

    /// <summary>Sends bytes to the peer.</summary>
    public delegate ValueTask Write(ReadOnlyMemory<byte> bytes, CancellationToken ct);

    /// <summary>
    /// Gateway ↔ VNC server, up to and including ServerInit; returns the ServerInit message as the
    /// server sent it (to replay to the browser). Accepts security None or VNC Authentication.
    /// </summary>
    public static async Task<byte[]> WithServerAsync(ReadExactly read, Write write, string? password, CancellationToken ct)
    {
        var (major, minor) = ParseVersion(await ReadAsync(read, 12, ct));
        if (major != 3 || minor < 8)
        {
            throw new RfbException($"the VNC server speaks RFB {major}.{minor}; 3.8 is needed");
        }
        await write(Version38, ct);

        var count = (await ReadAsync(read, 1, ct))[0];
        if (count == 0)
        {
            throw new RfbException($"the VNC server refused the connection: {await ReasonAsync(read, ct)}");
        }
        var types = await ReadAsync(read, count, ct);
        if (types.Contains(SecurityNone))
        {
            await write(new[] { SecurityNone }, ct);
        }
        else if (types.Contains(SecurityVncAuth) && password is not null)
        {
            await write(new[] { SecurityVncAuth }, ct);
            var challenge = await ReadAsync(read, VncAuth.ChallengeLength, ct);
            var response = VncAuth.Respond(challenge, password) ?? throw new RfbException("the VNC password makes a weak DES key");
            await write(response, ct);
        }
        else
        {
            throw new RfbException($"the VNC server offers security types [{string.Join(",", types)}]; the gateway speaks None (1) and VNC Authentication (2, with a password)");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(read, 4, ct)) != 0)
        {
            throw new RfbException($"the VNC server refused the authentication: {await ReasonAsync(read, ct)}");
        }

        await write(new byte[] { 1 }, ct); // ClientInit: shared, so every connected person sees one desktop
        var header = await ReadAsync(read, 24, ct);
        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(20));
        if (nameLength > MaxNameBytes)
        {
            throw new RfbException($"desktop name of {nameLength} bytes");
        }
        var name = await ReadAsync(read, (int)nameLength, ct);
        return [.. header, .. name];
    }

    /// <summary>
    /// Browser ↔ gateway: offers security None (RFB 3.8, 3.7 or 3.3, whichever the browser speaks),
    /// reads its ClientInit (its shared flag does not matter: the server session is shared), and
    /// sends the server's ServerInit.
    /// </summary>
    public static async Task WithBrowserAsync(ReadExactly read, Write write, byte[] serverInit, CancellationToken ct)
    {
        await write(Version38, ct);
        var (major, minor) = ParseVersion(await ReadAsync(read, 12, ct));
        if (major != 3 || minor < 3)
        {
            throw new RfbException($"the browser speaks RFB {major}.{minor}");
        }
        if (minor < 7)
        {
            await write(new byte[] { 0, 0, 0, SecurityNone }, ct); // 3.3: the server picks, no result for None
        }
        else
        {
            await write(new byte[] { 1, SecurityNone }, ct);
            var choice = (await ReadAsync(read, 1, ct))[0];
            if (choice != SecurityNone)
            {
                throw new RfbException($"the browser chose security type {choice}");
            }
            if (minor >= 8)
            {
                await write(new byte[] { 0, 0, 0, 0 }, ct); // SecurityResult OK (3.7 sends none for None)
            }
        }
        await ReadAsync(read, 1, ct); // ClientInit
        await write(serverInit, ct);
    }

    /// <summary>Width and height from a ServerInit message.</summary>
    public static (int Width, int Height) Size(ReadOnlySpan<byte> serverInit) =>
        (BinaryPrimitives.ReadUInt16BigEndian(serverInit), BinaryPrimitives.ReadUInt16BigEndian(serverInit[2..]));

    static (int Major, int Minor) ParseVersion(byte[] bytes)
    {
        var match = VersionPattern().Match(Encoding.ASCII.GetString(bytes));
        if (!match.Success)
        {
            throw new RfbException("the peer does not speak RFB");
        }
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    static async Task<string> ReasonAsync(ReadExactly read, CancellationToken ct)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(read, 4, ct));
        if (length > MaxReasonBytes)
        {
            return $"(a reason of {length} bytes)";
        }
        return Encoding.UTF8.GetString(await ReadAsync(read, (int)length, ct));
    }

    static async Task<byte[]> ReadAsync(ReadExactly read, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        await read(buffer, ct);
        return buffer;
    }

    [GeneratedRegex(@"^RFB (\d{3})\.(\d{3})\n$")]
    private static partial Regex VersionPattern();
}
