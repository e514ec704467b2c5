using System.IO.Compression;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Projects.Deploy;

/// <summary>
/// Checks and keeps a project's uploaded ZIP. Checked before anything is unpacked: size, file count, total
/// unpacked size and each entry's compression ratio (a zip bomb), and every path (no absolute path, no
/// "..", no symbolic link), so nothing a ZIP holds can land outside the build context.
/// </summary>
public sealed class SourceArchive(IOptions<ClasscloudOptions> platform, IOptions<ProjectsOptions> options)
{
    const int SymlinkType = 0xA000;

    public string PathOf(long projectId) => Path.Combine(platform.Value.FullDataDirectory, "projects", projectId.ToString(System.Globalization.CultureInfo.InvariantCulture), "source.zip");

    /// <summary>Null when the ZIP is acceptable, else the reason (English with {0} placeholders filled by the caller's localizer).</summary>
    public SourceProblem? Check(Stream zip)
    {
        var o = options.Value;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return new("The file is not a ZIP archive.");
        }
        using (archive)
        {
            if (archive.Entries.Count > o.MaxFiles)
            {
                return new("The ZIP holds {0} files; at most {1} are accepted.", archive.Entries.Count, o.MaxFiles);
            }
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                if (PathProblem(entry.FullName) is { } path)
                {
                    return new(path, entry.FullName);
                }
                if (((entry.ExternalAttributes >> 16) & 0xF000) == SymlinkType)
                {
                    return new("The ZIP holds a symbolic link ({0}); links are refused.", entry.FullName);
                }
                total += entry.Length;
                if (total > o.MaxExpandedBytes)
                {
                    return new("Unpacked, the ZIP would be larger than {0} MB.", o.MaxExpandedBytes / (1024 * 1024));
                }
                if (entry.Length > 1024 * 1024 && entry.Length > Math.Max(entry.CompressedLength, 1) * o.MaxCompressionRatio)
                {
                    return new("{0} is compressed more than {1} to 1; that looks like a zip bomb.", entry.FullName, o.MaxCompressionRatio);
                }
            }
        }
        return null;
    }

    /// <summary>Keeps an accepted ZIP as the project's source (replacing the previous one).</summary>
    public async Task SaveAsync(long projectId, Stream zip, CancellationToken ct)
    {
        var path = PathOf(projectId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".new";
        zip.Position = 0;
        await using (var file = File.Create(temp))
        {
            await zip.CopyToAsync(file, ct);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(long projectId)
    {
        var dir = Path.GetDirectoryName(PathOf(projectId))!;
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static string? PathProblem(string name) =>
        name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':')
            ? "The ZIP holds an absolute path ({0}); only relative paths are accepted."
        : name.Replace('\\', '/').Split('/').Any(part => part == "..")
            ? "The ZIP holds a path leaving its folder ({0}); '..' is refused."
        : name.Contains('\0', StringComparison.Ordinal) ? "The ZIP holds a file name with a NUL character." : null;
}

/// <summary>Why a ZIP was refused: an English format string (the localizer's key) and its arguments.</summary>
public sealed record SourceProblem(string Format, params object[] Arguments);
