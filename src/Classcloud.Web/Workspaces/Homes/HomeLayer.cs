using System.Formats.Tar;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Rewrites a home tar (names relative to home, as <see cref="HomeArchiver.ArchiveHomeAsync"/> writes it)
/// into an image layer: every entry under the home path (<c>home/classcloud/notes.txt</c>), owned by
/// uid/gid 1000 like the Docker path's <c>COPY --chown=1000:1000</c>, with the parent directories
/// (root-owned, 0755) and the home directory itself (the workspace user's, in the volume's mode) in
/// front, so the layer unpacks the same on any runtime. Entries are filtered as for the Docker path.
/// </summary>
public static class HomeLayer
{
    const int WorkspaceUser = 1000;
    const UnixFileMode Directory = (UnixFileMode)0b111_101_101;

    public static async Task WriteAsync(string homeTar, string layerFile, string homePath, CancellationToken ct)
    {
        var segments = homePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var home = string.Join('/', segments) + "/";
        await using var output = File.Create(layerFile);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        for (var i = 1; i < segments.Length; i++)
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, string.Join('/', segments[..i]) + "/") { Mode = Directory }, ct);
        }
        await using var input = File.OpenRead(homeTar);
        var homeWritten = false;
        await foreach (var (name, type, source) in HomeArchiver.EntriesAsync(input, ct))
        {
            if (!homeWritten)
            {
                // tar writes the home directory's own entry first; a tar without one gets the usual 0755.
                await writer.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.Directory, home) { Mode = name.Length == 0 ? source.Mode : Directory }), ct);
                homeWritten = true;
                if (name.Length == 0)
                {
                    continue;
                }
            }
            else if (name.Length == 0)
            {
                continue;
            }
            var entry = new PaxTarEntry(type, home + name)
            {
                Mode = source.Mode,
                ModificationTime = source.ModificationTime,
            };
            if (type == TarEntryType.SymbolicLink)
            {
                entry.LinkName = source.LinkName;
            }
            else if (type == TarEntryType.RegularFile)
            {
                entry.DataStream = source.DataStream; // only files may have data (setting it on a link throws, even null)
            }
            await writer.WriteEntryAsync(Owned(entry), ct);
        }
        if (!homeWritten)
        {
            await writer.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.Directory, home) { Mode = Directory }), ct);
        }
    }

    static PaxTarEntry Owned(PaxTarEntry entry)
    {
        entry.Uid = WorkspaceUser;
        entry.Gid = WorkspaceUser;
        return entry;
    }
}
