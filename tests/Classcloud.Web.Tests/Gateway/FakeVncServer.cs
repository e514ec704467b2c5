using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Classcloud.Web.Gateway;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>
/// A VNC server on loopback that asks for VNC Authentication, checks the response, and records
/// every byte a client sends after the handshake until it disconnects (one recording per connection);
/// it can send scripted server messages after ServerInit.
/// </summary>
public sealed class FakeVncServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly Channel<byte[]> sessions = Channel.CreateUnbounded<byte[]>();
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    readonly string password;

    public FakeVncServer(string password)
    {
        this.password = password;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>What the server sends every client right after ServerInit (scripted server messages).</summary>
    public byte[] ServerMessages { get; set; } = [];

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>What the next client sent after the handshake, once it has gone.</summary>
    public async Task<byte[]> NextSessionAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await sessions.Reader.ReadAsync(timeout.Token);
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var ct = stop.Token;
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), ct);
        await stream.ReadExactlyAsync(new byte[12], ct);
        await stream.WriteAsync(new byte[] { 1, 2 }, ct); // VNC Authentication only
        var choice = new byte[1];
        await stream.ReadExactlyAsync(choice, ct);
        var challenge = RandomNumberGenerator.GetBytes(16);
        await stream.WriteAsync(challenge, ct);
        var response = new byte[16];
        await stream.ReadExactlyAsync(response, ct);
        if (choice[0] != 2 || !response.AsSpan().SequenceEqual(VncAuth.Respond(challenge, password)))
        {
            await stream.WriteAsync(new byte[] { 0, 0, 0, 1, 0, 0, 0, 0 }, ct);
            return;
        }
        await stream.WriteAsync(new byte[4], ct);
        var shared = new byte[1];
        await stream.ReadExactlyAsync(shared, ct);
        var init = new byte[24 + 12];
        BinaryPrimitives.WriteUInt16BigEndian(init, 800);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), 600);
        init[4] = 32;
        init[5] = 24;
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), 12);
        "fake desktop"u8.CopyTo(init.AsSpan(24));
        await stream.WriteAsync(init, ct);
        await stream.WriteAsync(ServerMessages, ct);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        await sessions.Writer.WriteAsync(shared[0] == 1 ? received.ToArray() : [0xee], ct); // a non-shared ClientInit fails the comparison
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
