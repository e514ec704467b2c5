using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Classcloud.Web.Tests.Mail;

/// <summary>A message as the listener received it: the envelope, the raw DATA (dot-unstuffed), and how the session was protected.</summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> To, string Data, bool Tls, string? AuthMechanism, string? User)
{
    public MimeText Mime => MimeText.Parse(Data);
}

/// <summary>
/// A minimal SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; RFC 3207 STARTTLS
/// or TLS from the first byte; RFC 4954 AUTH PLAIN and LOGIN) on a real loopback port, so the host's
/// SMTP client talks to it exactly as to a relay. It can refuse the next DATA commands with 451, as a
/// busy relay does.
/// </summary>
public class SmtpListener(SmtpListenerSetup setup) : IAsyncLifetime, IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<SmtpMessage> received = new();
    readonly ConcurrentQueue<(TimeSpan At, string[] To, bool Accepted)> dataCommands = new();
    readonly ConcurrentQueue<(string Mechanism, string? User, bool Accepted)> authentications = new();
    readonly Stopwatch clock = Stopwatch.StartNew();
    Task? accepting;
    int refusals;
    int failedHandshakes;

    /// <summary>Plain SMTP, no AUTH: a relay on the same machine.</summary>
    public SmtpListener() : this(new SmtpListenerSetup())
    {
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<SmtpMessage> Received => [.. received];

    /// <summary>Every DATA command: when (since the listener started), for whom, and whether it was accepted.</summary>
    public IReadOnlyList<(TimeSpan At, string[] To, bool Accepted)> DataCommands => [.. dataCommands];

    /// <summary>Every AUTH exchange that got as far as credentials.</summary>
    public IReadOnlyList<(string Mechanism, string? User, bool Accepted)> Authentications => [.. authentications];

    /// <summary>TLS handshakes the client gave up on (e.g. it did not trust the certificate).</summary>
    public int FailedHandshakes => Volatile.Read(ref failedHandshakes);

    /// <summary>Answers the next <paramref name="count"/> DATA commands with 451.</summary>
    public void RefuseNext(int count) => Volatile.Write(ref refusals, count);

    public Task InitializeAsync()
    {
        listener.Start();
        accepting = AcceptAsync(stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        if (accepting is not null)
        {
            await accepting;
        }
        Dispose();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            listener.Dispose();
            stop.Dispose();
        }
    }

    /// <summary>Waits for a message to the address, or fails the test after the timeout.</summary>
    public async Task<SmtpMessage> WaitForAsync(string to, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (received.FirstOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase)) is { } message)
            {
                return message;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No mail to {to} reached the SMTP listener within {timeout.TotalSeconds} s.");
    }

    async Task AcceptAsync(CancellationToken ct)
    {
        var sessions = new List<Task>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(ct);
                sessions.Add(Task.Run(() => ServeAsync(client, ct), CancellationToken.None));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }
        await Task.WhenAll(sessions);
    }

    async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var session = new SmtpSession(client.GetStream());
            try
            {
                if (setup.Tls == SmtpListenerTls.Implicit)
                {
                    await StartTlsAsync(session, ct);
                }
                await session.WriteAsync("220 localhost Classcloud test SMTP");
                await DialogueAsync(session, ct);
            }
            catch (AuthenticationException)
            {
                Interlocked.Increment(ref failedHandshakes);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the listener is stopping.
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }

    async Task DialogueAsync(SmtpSession s, CancellationToken ct)
    {
        while (await s.ReadAsync(ct) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await s.WriteAsync(Ehlo(s.Tls));
                    break;
                case "HELO":
                case "NOOP":
                    await s.WriteAsync("250 OK");
                    break;
                case "STARTTLS" when setup.Tls == SmtpListenerTls.StartTls && !s.Tls:
                    await s.WriteAsync("220 2.0.0 Ready to start TLS");
                    await StartTlsAsync(s, ct);
                    break;
                case "AUTH" when OffersAuth(s.Tls) && s.Auth is null:
                    s.Auth = await SmtpAuth.ExchangeAsync(s, line, setup, authentications, ct);
                    break;
                case "RSET":
                    s.Reset();
                    await s.WriteAsync("250 OK");
                    break;
                case "MAIL" when setup.User is not null && s.Auth is null:
                    await s.WriteAsync("530 5.7.0 Authentication required");
                    break;
                case "MAIL":
                    (s.From, s.To) = (Address(line), []);
                    await s.WriteAsync("250 OK");
                    break;
                case "RCPT":
                    s.To.Add(Address(line));
                    await s.WriteAsync("250 OK");
                    break;
                case "DATA":
                    await DataAsync(s, ct);
                    break;
                case "QUIT":
                    await s.WriteAsync("221 Bye");
                    return;
                default:
                    await s.WriteAsync("502 5.5.2 Command not implemented");
                    break;
            }
        }
    }

    /// <summary>AUTH is offered only where the password cannot be overheard, unless the relay has no TLS at all.</summary>
    bool OffersAuth(bool tls) => setup.AuthMechanisms.Length > 0 && (tls || setup.Tls == SmtpListenerTls.None);

    string Ehlo(bool tls)
    {
        var lines = new List<string> { "localhost", "8BITMIME" };
        if (setup.Tls == SmtpListenerTls.StartTls && !tls)
        {
            lines.Add("STARTTLS");
        }
        if (OffersAuth(tls))
        {
            lines.Add("AUTH " + string.Join(' ', setup.AuthMechanisms));
        }
        return string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l));
    }

    async Task StartTlsAsync(SmtpSession s, CancellationToken ct)
    {
        var ssl = new SslStream(s.Stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = setup.Certificate }, ct);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
        s.Upgrade(ssl); // RFC 3207: everything said before the handshake is forgotten
    }

    async Task DataAsync(SmtpSession s, CancellationToken ct)
    {
        if (s.To.Count == 0)
        {
            await s.WriteAsync("503 5.5.1 RCPT first");
            return;
        }
        if (Interlocked.Decrement(ref refusals) >= 0)
        {
            dataCommands.Enqueue((clock.Elapsed, [.. s.To], false));
            await s.WriteAsync("451 4.3.0 Relay busy, try again later");
            return;
        }
        dataCommands.Enqueue((clock.Elapsed, [.. s.To], true));
        await s.WriteAsync("354 End data with <CR><LF>.<CR><LF>");
        var data = new StringBuilder();
        while (await s.ReadAsync(ct) is { } line && line != ".")
        {
            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }
        received.Enqueue(new SmtpMessage(s.From, [.. s.To], data.ToString(), s.Tls, s.Auth?.Mechanism, s.Auth?.User));
        await s.WriteAsync("250 2.0.0 Queued");
    }

    static string Address(string command)
    {
        var start = command.IndexOf('<', StringComparison.Ordinal);
        var end = command.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? command[(start + 1)..end] : command[(command.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
