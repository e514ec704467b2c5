using System.Formats.Tar;
using Classcloud.Platform;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>One file as it landed: its path relative to home and its size.</summary>
public sealed record UploadedFileDto(string Path, long SizeBytes);

/// <summary>What an upload wrote: the folder (relative to home, "" for home itself) and each file.</summary>
public sealed record UploadedFilesDto(string Folder, IReadOnlyList<UploadedFileDto> Files);

/// <summary>A file of an upload: its name as sent (checked here) and its bytes.</summary>
public sealed record UploadedFile(string? Name, long Length, Func<Stream> Open);

/// <summary>
/// Writes uploaded files into a running workspace's home: one <c>tar -x</c> run in the workspace as its user
/// (uid 1000), reading an archive written straight onto its stdin. So the files belong to the workspace's user, never
/// root, land under home only (every name was checked and tar gets nothing else), and folders are made as needed.
/// </summary>
public sealed class HomeUploads(IContainerPlatform platform, TimeProvider time)
{
    /// <summary>The workspace user of the images (images/terminal, images/desktop); exec refuses uid 0 anyway.</summary>
    public const string WorkspaceUser = "1000:1000";

    /// <summary>GNU tar reads whole records of 20 blocks; padding the archive to one lets it finish at the end marker even if stdin stays open.</summary>
    const int Record = 10240;

    public async Task<Outcome<UploadedFilesDto>> UploadAsync(HomeTarget target, string folder, IReadOnlyList<UploadedFile> files, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var file in files)
        {
            var name = HomePaths.Parse(file.Name, homeAllowed: false);
            if (!name.Succeeded)
            {
                return name.Problem!;
            }
            names.Add(name.Value!);
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            return Problem.BadRequest("Two files of the upload have the same name.");
        }
        var directory = HomePaths.InHome(target.Home, folder);
        var request = new ExecRequest
        {
            // The folder is an argument ($1), never part of the script.
            Command = ["sh", "-c", "mkdir -p -- \"$1\" && exec tar -x -f - -C \"$1\"", "sh", directory],
            User = WorkspaceUser,
        };
        await using var session = await platform.ExecAsync(target.Workload, request, ct);
        var output = ExecEnd.OutputAsync(session, ct);
        try
        {
            await WriteArchiveAsync(session, files, names, time.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is IOException or PlatformException)
        {
            // tar stopped reading (it failed on something): its own words, read below, say why.
        }
        var message = await output;
        var code = await session.ExitCodeAsync($"workspace {target.WorkspaceId}", time, ct);
        if (code != 0)
        {
            return Problem.Conflict("The files could not be written to your home folder: {0}", message.Length > 0 ? message : $"tar exited with {code}");
        }
        var written = names.Select((n, i) => new UploadedFileDto(folder.Length == 0 ? n : $"{folder}/{n}", files[i].Length)).ToList();
        return new UploadedFilesDto(folder, written);
    }

    static async Task WriteArchiveAsync(IStreamSession session, IReadOnlyList<UploadedFile> files, List<string> names, DateTimeOffset now, CancellationToken ct)
    {
        await using var input = new ExecInputStream(session, ct);
        await using (var writer = new TarWriter(input, TarEntryFormat.Pax, leaveOpen: true))
        {
            for (var i = 0; i < files.Count; i++)
            {
                await using var data = files[i].Open();
                var entry = new PaxTarEntry(TarEntryType.RegularFile, names[i])
                {
                    DataStream = data,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = now,
                };
                await writer.WriteEntryAsync(entry, ct);
            }
        }
        var padding = (int)((Record - input.Length % Record) % Record);
        if (padding > 0)
        {
            await input.WriteAsync(new byte[padding], ct);
        }
        await session.CloseInputAsync(ct);
    }
}
