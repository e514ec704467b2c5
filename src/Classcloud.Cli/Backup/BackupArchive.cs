using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Classcloud.Cli.Backup;

/// <summary>A backup that cannot be restored: damaged, truncated, altered or of an unknown format.</summary>
internal sealed class BadBackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The archive: a gzip-compressed tar whose first entry is <see cref="BackupManifest.FileName"/>, then
/// the staged files under their relative paths. Reading checks each entry against the manifest while
/// it is written out, so a bad archive is found before a restore changes anything.
/// </summary>
internal static class BackupArchive
{
    /// <summary>Packs <paramref name="staging"/> (every file in it is listed in the manifest) into <paramref name="file"/>, atomically.</summary>
    public static async Task WriteAsync(string staging, BackupManifest manifest, string file, CancellationToken ct)
    {
        var partial = file + ".partial";
        try
        {
            await using (var output = new FileStream(partial, new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.FileName)
                {
                    DataStream = new MemoryStream(manifest.ToJson()),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }, ct);
                foreach (var entry in manifest.Entries)
                {
                    await using var data = File.OpenRead(Path.Combine(staging, entry.Path));
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Path)
                    {
                        DataStream = data,
                        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    }, ct);
                }
            }
            File.Move(partial, file, overwrite: false);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Lists the staged files with their sizes and checksums (relative paths with '/').</summary>
    public static async Task<IReadOnlyList<BackupEntry>> DescribeAsync(string staging, CancellationToken ct)
    {
        var entries = new List<BackupEntry>();
        foreach (var path in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(staging, path).Replace(Path.DirectorySeparatorChar, '/');
            entries.Add(new BackupEntry(relative, new FileInfo(path).Length, await BackupManifest.Sha256Async(path, ct)));
        }
        return entries;
    }

    /// <summary>
    /// Unpacks <paramref name="file"/> into the empty folder <paramref name="destination"/> and returns its
    /// manifest, after checking every entry's size and checksum and that nothing is missing or extra.
    /// </summary>
    public static async Task<BackupManifest> ExtractAsync(string file, string destination, CancellationToken ct)
    {
        try
        {
            await using var input = File.OpenRead(file);
            await using var gzip = new GZipStream(input, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            var manifest = await ReadManifestAsync(tar, ct);
            var expected = manifest.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
            var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                if (entry.EntryType is TarEntryType.Directory)
                {
                    continue;
                }
                if (!expected.Remove(entry.Name, out var listed) || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new BadBackupException($"the archive holds '{entry.Name}', which its manifest does not list.");
                }
                var target = Path.GetFullPath(Path.Combine(root, listed.Path));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new BadBackupException($"the entry '{listed.Path}' points outside the backup.");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyCheckedAsync(entry.DataStream ?? Stream.Null, target, listed, ct);
            }
            if (expected.Count > 0)
            {
                throw new BadBackupException($"the archive ends before {expected.Count} of its entries (first missing: {expected.Keys.Order(StringComparer.Ordinal).First()}); it is truncated.");
            }
            return manifest;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or System.Text.Json.JsonException)
        {
            throw new BadBackupException($"the archive is damaged or truncated ({ex.Message}).", ex);
        }
    }

    static async Task<BackupManifest> ReadManifestAsync(TarReader tar, CancellationToken ct)
    {
        var first = await tar.GetNextEntryAsync(copyData: false, ct);
        if (first is null || first.Name != BackupManifest.FileName || first.DataStream is null)
        {
            throw new BadBackupException($"this is not a Classcloud backup (its first entry is not {BackupManifest.FileName}).");
        }
        using var buffer = new MemoryStream();
        await first.DataStream.CopyToAsync(buffer, ct);
        var manifest = BackupManifest.Parse(buffer.ToArray()) ?? throw new BadBackupException("the manifest is empty.");
        return manifest.Format == BackupManifest.CurrentFormat
            ? manifest
            : throw new BadBackupException($"the backup has format {manifest.Format}; this classcloud reads format {BackupManifest.CurrentFormat}. Use the classcloud version that made it ({manifest.ClasscloudVersion}) or a newer one.");
    }

    static async Task CopyCheckedAsync(Stream data, string target, BackupEntry listed, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        await using (var output = new FileStream(target, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            var buffer = new byte[128 * 1024];
            int read;
            while ((read = await data.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                bytes += read;
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (bytes != listed.Bytes || sha != listed.Sha256)
        {
            throw new BadBackupException($"'{listed.Path}' does not match its checksum in the manifest ({bytes} bytes, expected {listed.Bytes}); the archive is damaged.");
        }
    }
}
