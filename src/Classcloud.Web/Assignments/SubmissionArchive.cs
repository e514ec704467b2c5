using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>What a collected folder became: the stored archive, its file list and content hash, and what was left out.</summary>
public sealed record ArchivedFolder(string Key, long SizeBytes, IReadOnlyList<SubmissionFileDto> Files, string ContentHash, string? Note);

/// <summary>
/// Stores submissions as tar files under $DATA/files/submissions, named by a random key (nothing a student
/// chose becomes part of a path). A collected tar is rewritten entry by entry: files, folders, symbolic and
/// hard links (kept as links, never followed); anything else, unsafe names and entries beyond the limits are
/// left out and noted. The content hash is SHA-256 over the sorted list of "type, path, content hash or link
/// target" lines, so it depends on the content only, not on times or order.
/// </summary>
public sealed class SubmissionArchive(IOptions<ClasscloudOptions> options, IOptions<AssignmentsOptions> limits)
{
    string Root => Path.Combine(options.Value.FullDataDirectory, "files", "submissions");

    public async Task<ArchivedFolder> StoreAsync(Stream collected, bool cut, CancellationToken ct)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var files = new List<SubmissionFileDto>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new List<string>();
        if (cut)
        {
            notes.Add($"The folder is larger than {limits.Value.MaxSubmissionBytes / 1024} KiB; only what fitted was kept.");
        }
        long dataBytes = 0;
        int skipped = 0, unsafeNames = 0, overLimit = 0;
        await using (var output = new FileStream(path + ".part", FileMode.CreateNew, FileAccess.Write))
        await using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        await using (var reader = new TarReader(collected, leaveOpen: true))
        {
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: true, ct);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
                {
                    if (!cut)
                    {
                        notes.Add("The folder's archive ended early; what came before was kept.");
                    }
                    break;
                }
                if (entry is null)
                {
                    break;
                }
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                name = name.TrimEnd('/');
                if (name is "" or ".")
                {
                    continue;
                }
                var type = entry.EntryType switch
                {
                    TarEntryType.RegularFile or TarEntryType.V7RegularFile => "file",
                    TarEntryType.Directory => "dir",
                    TarEntryType.SymbolicLink => "symlink",
                    TarEntryType.HardLink => "hardlink",
                    _ => null,
                };
                if (type is null)
                {
                    skipped++;
                    continue;
                }
                if (!AssignmentValidation.IsSafePath(name))
                {
                    unsafeNames++;
                    continue;
                }
                var size = type == "file" ? entry.Length : 0;
                if (files.Count >= limits.Value.MaxSubmissionFiles || dataBytes + size > limits.Value.MaxSubmissionBytes)
                {
                    overLimit++;
                    continue;
                }
                dataBytes += size;
                string? target = type switch
                {
                    "symlink" => entry.LinkName,
                    "hardlink" => entry.LinkName.StartsWith("./", StringComparison.Ordinal) ? entry.LinkName[2..] : entry.LinkName,
                    _ => null,
                };
                var copy = new PaxTarEntry(entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType, type == "dir" ? name + "/" : name)
                {
                    Mode = entry.Mode,
                    ModificationTime = entry.ModificationTime,
                };
                if (target is not null)
                {
                    copy.LinkName = target;
                }
                if (type == "file")
                {
                    var data = new MemoryStream();
                    if (entry.DataStream is { } stream)
                    {
                        await stream.CopyToAsync(data, ct);
                    }
                    data.Position = 0;
                    hashes[name] = Convert.ToHexStringLower(SHA256.HashData(data.ToArray()));
                    copy.DataStream = data;
                }
                await writer.WriteEntryAsync(copy, ct);
                files.Add(new SubmissionFileDto(name, type, size, target));
            }
        }
        File.Move(path + ".part", path);
        if (skipped > 0)
        {
            notes.Add($"{skipped} special file(s) (devices, pipes) were left out.");
        }
        if (unsafeNames > 0)
        {
            notes.Add($"{unsafeNames} entries with unsafe names were left out.");
        }
        if (overLimit > 0)
        {
            notes.Add($"{overLimit} entries beyond the limits ({limits.Value.MaxSubmissionFiles} entries, {limits.Value.MaxSubmissionBytes / 1024} KiB) were left out.");
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ArchivedFolder(key, new FileInfo(path).Length, files, Hash(files, hashes), notes.Count == 0 ? null : string.Join(" ", notes));
    }

    /// <summary>The content hash of a file list (see the class summary); exposed so tests can compute the expected one.</summary>
    public static string Hash(IEnumerable<SubmissionFileDto> files, IReadOnlyDictionary<string, string> fileHashes)
    {
        var text = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            text.Append(f.Type).Append('\t').Append(f.Path).Append('\t')
                .Append(f.Type == "file" ? fileHashes[f.Path] : f.Target ?? "").Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public async Task<byte[]> ReadAllAsync(string key, CancellationToken ct) => await File.ReadAllBytesAsync(PathOf(key), ct);

    /// <summary>One regular file's bytes (a hard link reads as the file it links to, inside the archive), or null when there is no such file.</summary>
    public async Task<byte[]?> ReadFileAsync(string key, string name, CancellationToken ct)
    {
        for (var hops = 0; hops < 2; hops++)
        {
            string? linked = null;
            await using var stream = File.OpenRead(PathOf(key));
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                if (entry.Name != name)
                {
                    continue;
                }
                if (entry.EntryType == TarEntryType.RegularFile && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    await data.CopyToAsync(copy, ct);
                    return copy.ToArray();
                }
                linked = entry.EntryType == TarEntryType.HardLink ? entry.LinkName : null;
                break;
            }
            if (linked is null)
            {
                return null;
            }
            name = linked;
        }
        return null;
    }

    /// <summary>
    /// The regular files of a submission that <paramref name="wanted"/> accepts, as text, in one pass over the archive:
    /// files over <paramref name="maxBytes"/> or with a NUL byte (binaries) are left out.
    /// </summary>
    public async Task<List<(string Path, string Text)>> ReadTextFilesAsync(string key, Func<string, bool> wanted, int maxBytes, CancellationToken ct)
    {
        var files = new List<(string, string)>();
        await using var stream = File.OpenRead(PathOf(key));
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType != TarEntryType.RegularFile || entry.DataStream is not { } data || entry.Length > maxBytes || !wanted(entry.Name))
            {
                continue;
            }
            using var copy = new MemoryStream();
            await data.CopyToAsync(copy, ct);
            var bytes = copy.ToArray();
            if (Array.IndexOf(bytes, (byte)0) < 0)
            {
                files.Add((entry.Name, Encoding.UTF8.GetString(bytes)));
            }
        }
        return files;
    }

    public void Delete(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            File.Delete(PathOf(key));
        }
    }

    string PathOf(string key)
    {
        if (key.Length != 32 || !key.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a submission key.", nameof(key));
        }
        return Path.Combine(Root, key[..2], key + ".tar");
    }
}
