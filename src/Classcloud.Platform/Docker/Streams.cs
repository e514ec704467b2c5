using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace Classcloud.Platform.Docker;

/// <summary>A connection taken over after a 101 answer; disposing it closes the connection.</summary>
internal sealed class HijackedStream(Stream stream, ConnectionBox connection, HttpResponseMessage response, HttpMessageInvoker invoker) : IAsyncDisposable
{
    public Stream Stream => stream;

    /// <summary>Half-closes the connection: the process reads end-of-file on stdin; its output keeps coming.</summary>
    public async Task CloseWriteAsync()
    {
        if (connection.Tls is { } tls)
        {
            await tls.ShutdownAsync();
        }
        connection.Socket?.Shutdown(System.Net.Sockets.SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        response.Dispose();
        invoker.Dispose();
    }
}

/// <summary>
/// Reads the engine's multiplexed stream (no TTY): frames of an 8-byte header — stream type
/// (1 stdout, 2 stderr), three zero bytes, big-endian payload length — then the payload.
/// https://docs.docker.com/engine/api/v1.41/#operation/ContainerAttach
/// </summary>
internal sealed class MultiplexedReader(Stream stream)
{
    readonly byte[] header = new byte[8];
    int remaining;
    OutputStream current;

    public async ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (remaining == 0)
        {
            var got = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
            if (got == 0)
            {
                return new StreamRead(0, OutputStream.Stdout);
            }
            if (got < header.Length)
            {
                throw new PlatformException("The Docker Engine's output stream ended inside a frame header.");
            }
            // 0 would be stdin (never sent to us); 3 is an engine error, shown as stderr.
            current = header[0] is 2 or 3 ? OutputStream.Stderr : OutputStream.Stdout;
            remaining = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        }
        var n = await stream.ReadAsync(buffer[..Math.Min(buffer.Length, remaining)], ct);
        if (n == 0)
        {
            throw new PlatformException("The Docker Engine's output stream ended inside a frame.");
        }
        remaining -= n;
        return new StreamRead(n, current);
    }
}

internal static class JsonLines
{
    /// <summary>Reads a stream of JSON values, one per line (events, stats, progress), until it ends.</summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (System.Text.Json.JsonSerializer.Deserialize(line, type) is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>
    /// Follows a progress stream (pull, push, build, import) to its end. The engine reports failures
    /// inside a 200 answer as <c>{"error": …}</c>; they become exceptions here. Returns the last aux value.
    /// </summary>
    public static async Task<System.Text.Json.JsonElement?> FollowProgressAsync(HttpResponseMessage response, IProgress<string>? progress, CancellationToken ct)
    {
        System.Text.Json.JsonElement? aux = null;
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var message in ReadAsync(stream, DockerJson.Default.JsonMessage, ct))
        {
            if (message.Error is { } error)
            {
                throw new PlatformException(error.Trim());
            }
            aux = message.Aux ?? aux;
            var text = message.Stream?.TrimEnd('\r', '\n') ?? string.Join(' ', new[] { message.Id, message.Status, message.Progress }.Where(s => !string.IsNullOrEmpty(s)));
            if (progress is not null && text.Length > 0)
            {
                progress.Report(text);
            }
        }
        return aux;
    }
}
