using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Classcloud.Web.Tests.Mail;

public enum SmtpListenerTls
{
    None,
    /// <summary>Plain first, STARTTLS offered.</summary>
    StartTls,
    /// <summary>TLS from the first byte.</summary>
    Implicit,
}

/// <summary>What the test relay offers: TLS with a certificate, and the AUTH mechanisms with the one account it accepts.</summary>
public sealed record SmtpListenerSetup(
    SmtpListenerTls Tls = SmtpListenerTls.None, X509Certificate2? Certificate = null,
    string[]? Mechanisms = null, string? User = null, string? Password = null)
{
    public string[] AuthMechanisms => Mechanisms ?? [];
}

/// <summary>One client connection: its lines (one char per byte, so 8-bit data survives) and its state.</summary>
internal sealed class SmtpSession(Stream stream) : IAsyncDisposable
{
    StreamReader reader = new(stream, Encoding.Latin1, false, 1024, leaveOpen: true);
    StreamWriter writer = new(stream, Encoding.Latin1, 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };

    public Stream Stream { get; private set; } = stream;

    public bool Tls { get; private set; }

    public (string Mechanism, string User)? Auth { get; set; }

    public string From { get; set; } = "";

    public List<string> To { get; set; } = [];

    public Task WriteAsync(string line) => writer.WriteLineAsync(line);

    public ValueTask<string?> ReadAsync(CancellationToken ct) => reader.ReadLineAsync(ct);

    public void Reset() => (From, To) = ("", []);

    /// <summary>Speaks over the TLS stream from now on, with nothing carried over from before.</summary>
    public void Upgrade(Stream secured)
    {
        reader.Dispose();
        writer.Dispose();
        Stream = secured;
        reader = new(secured, Encoding.Latin1, false, 1024, leaveOpen: true);
        writer = new(secured, Encoding.Latin1, 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        Tls = true;
        Auth = null;
        Reset();
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await writer.DisposeAsync();
        await Stream.DisposeAsync();
    }
}

/// <summary>RFC 4954 AUTH PLAIN (RFC 4616) and LOGIN, with or without an initial response.</summary>
internal static class SmtpAuth
{
    public static async Task<(string Mechanism, string User)?> ExchangeAsync(
        SmtpSession s, string line, SmtpListenerSetup setup, ConcurrentQueue<(string, string?, bool)> log, CancellationToken ct)
    {
        var parts = line.Split(' ', 3);
        var mechanism = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
        var initial = parts.Length > 2 ? parts[2] : null;
        if (!setup.AuthMechanisms.Contains(mechanism))
        {
            await s.WriteAsync("504 5.5.4 Unrecognized authentication type");
            return null;
        }
        string? user, password;
        if (mechanism == "PLAIN")
        {
            // authorization identity \0 user \0 password
            var fields = Decode(initial ?? await ChallengeAsync(s, "", ct))?.Split('\0');
            (user, password) = fields is { Length: 3 } ? (fields[1], fields[2]) : (null, null);
        }
        else
        {
            user = Decode(initial ?? await ChallengeAsync(s, "VXNlcm5hbWU6", ct));
            password = Decode(await ChallengeAsync(s, "UGFzc3dvcmQ6", ct));
        }
        var accepted = user is not null && user == setup.User && password == setup.Password;
        log.Enqueue((mechanism, user, accepted));
        await s.WriteAsync(accepted ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
        return accepted ? (mechanism, user!) : null;
    }

    static async Task<string?> ChallengeAsync(SmtpSession s, string challenge, CancellationToken ct)
    {
        await s.WriteAsync("334 " + challenge);
        return await s.ReadAsync(ct);
    }

    static string? Decode(string? base64)
    {
        try
        {
            return base64 is null or "*" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>The relay the outbox tests send through: STARTTLS with a certificate from its own CA, then AUTH.</summary>
public sealed class SecureSmtpListener : SmtpListener
{
    public const string User = "outbox@school.test";
    public const string Password = "outbox-relay-secret";

    public SecureSmtpListener() : this(new TestCertificates())
    {
    }

    SecureSmtpListener(TestCertificates certificates)
        : base(new SmtpListenerSetup(SmtpListenerTls.StartTls, certificates.Server, ["PLAIN", "LOGIN"], User, Password)) =>
        Certificates = certificates;

    public TestCertificates Certificates { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Certificates.Dispose();
        }
        base.Dispose(disposing);
    }
}
