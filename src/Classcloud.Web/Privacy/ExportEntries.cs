using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Classcloud.Web.Privacy;

/// <summary>Adds entries, sending each one's tail (held by <see cref="AsyncOnlyStream"/>) as soon as it is closed.</summary>
internal sealed class ExportEntries(ZipArchive zip, AsyncOnlyStream stream)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task JsonAsync(string name, object value, CancellationToken ct)
    {
        await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
        {
            await JsonSerializer.SerializeAsync(target, value, Json, ct);
        }
        await stream.DrainAsync(ct);
    }

    public async Task TextAsync(string name, string text, CancellationToken ct)
    {
        await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
        {
            await target.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        }
        await stream.DrainAsync(ct);
    }

    /// <summary>A file from disk, copied in pieces (a home can be large).</summary>
    public async Task FileAsync(string name, string path, CancellationToken ct)
    {
        await using (var target = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(ct))
        await using (var source = File.OpenRead(path))
        {
            await source.CopyToAsync(target, ct);
        }
        await stream.DrainAsync(ct);
    }

    /// <summary>Bytes read from the server's files; a missing file becomes a note in the README instead.</summary>
    public async Task FileAsync(string name, Func<Task<byte[]>> read, List<string> notes, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await read();
        }
        catch (IOException)
        {
            notes.Add($"{name} is missing from the server's files.");
            return;
        }
        await using (var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct))
        {
            await target.WriteAsync(bytes, ct);
        }
        await stream.DrainAsync(ct);
    }
}
