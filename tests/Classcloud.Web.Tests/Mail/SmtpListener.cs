using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Classcloud.Web.Tests.Mail;

/// <summary>A message as the listener received it: the envelope and the raw DATA (dot-unstuffed).</summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> To, string Data)
{
    public MimeText Mime => MimeText.Parse(Data);
}

/// <summary>
/// A minimal SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH)
/// on a real loopback port, so the host's SmtpClient talks to it exactly as to a relay.
/// It can refuse the next DATA commands with 451, as a busy relay does.
/// </summary>
public sealed class SmtpListener : IAsyncLifetime, IDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentQueue<SmtpMessage> received = new();
    readonly ConcurrentQueue<(TimeSpan At, string[] To, bool Accepted)> dataCommands = new();
    readonly Stopwatch clock = Stopwatch.StartNew();
    Task? accepting;
    int refusals;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Every DATA command: when (since the listener started), for whom, and whether it was accepted.</summary>
    public IReadOnlyList<(TimeSpan At, string[] To, bool Accepted)> DataCommands => [.. dataCommands];

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
        listener.Dispose();
        stop.Dispose();
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
            try
            {
                await using var stream = client.GetStream();
                // Latin-1 maps every byte to one char, so 8-bit data survives unchanged.
                using var reader = new StreamReader(stream, Encoding.Latin1);
                await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 localhost Classcloud test SMTP");
                string from = "";
                var to = new List<string>();
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-localhost\r\n250 8BITMIME");
                            break;
                        case "HELO":
                        case "NOOP":
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RSET":
                            (from, to) = ("", []);
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "MAIL":
                            (from, to) = (Address(line), []);
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RCPT":
                            to.Add(Address(line));
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await DataAsync(reader, writer, from, to, ct);
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the listener is stopping.
            }
        }
    }

    async Task DataAsync(StreamReader reader, StreamWriter writer, string from, List<string> to, CancellationToken ct)
    {
        if (to.Count == 0)
        {
            await writer.WriteLineAsync("503 5.5.1 RCPT first");
            return;
        }
        if (Interlocked.Decrement(ref refusals) >= 0)
        {
            dataCommands.Enqueue((clock.Elapsed, [.. to], false));
            await writer.WriteLineAsync("451 4.3.0 Relay busy, try again later");
            return;
        }
        dataCommands.Enqueue((clock.Elapsed, [.. to], true));
        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line && line != ".")
        {
            data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }
        received.Enqueue(new SmtpMessage(from, [.. to], data.ToString()));
        await writer.WriteLineAsync("250 2.0.0 Queued");
    }

    static string Address(string command)
    {
        var start = command.IndexOf('<', StringComparison.Ordinal);
        var end = command.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? command[(start + 1)..end] : command[(command.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
