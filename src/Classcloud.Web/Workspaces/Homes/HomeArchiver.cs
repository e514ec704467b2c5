using System.Formats.Tar;
using System.Runtime.CompilerServices;
using System.Text;
using Classcloud.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Puts the home directory into a snapshot. A commit leaves volumes out, but a loaded workspace must
/// find the files too: a short-lived helper (the committed image, no network, the home volume
/// read-only) streams home as a tar, and a one-step build copies it into the image at the home
/// path. A new workspace's empty home volume then starts with those files (the engine seeds an
/// empty volume from the image); a workspace that keeps its volume keeps its own files.
/// </summary>
public sealed class HomeArchiver(IServiceProvider services, IOptions<WorkspacesOptions> options, TimeProvider time)
{
    /// <summary>Home archives beyond this are refused (the snapshot would not fit a classroom registry either).</summary>
    public const long MaxHomeBytes = 2L * 1024 * 1024 * 1024;

    IContainerPlatform Platform => services.GetRequiredService<IContainerPlatform>();

    /// <summary>Rebuilds <paramref name="reference"/> (a committed image) with the volume's files at the home path.</summary>
    public async Task AddHomeAsync(string reference, string volume, WorkloadId helperId, CancellationToken ct)
    {
        var home = Path.GetTempFileName();
        var context = Path.GetTempFileName();
        try
        {
            await ArchiveHomeAsync(reference, volume, tenant: null, helperId, home, ct);
            await WriteContextAsync(reference, home, context, ct);
            await using var stream = File.OpenRead(context);
            await Platform.BuildImageAsync(stream, new ImageBuildRequest { Tag = reference }, null, ct);
        }
        finally
        {
            File.Delete(home);
            File.Delete(context);
        }
    }

    /// <summary>
    /// Writes the volume's files as a tar (names relative to home: <c>./notes.txt</c>) to <paramref name="file"/>,
    /// through a short-lived helper of <paramref name="image"/> (it needs <c>tar</c>) mounting the volume
    /// read-only. Refused beyond <see cref="MaxHomeBytes"/>; the helper is removed whatever happens.
    /// <paramref name="tenant"/> places the helper where the volume lives: on Kubernetes a claim can only be
    /// mounted by a pod of its own namespace; null (Docker) keeps the helper off every network.
    /// </summary>
    public async Task ArchiveHomeAsync(string image, string volume, string? tenant, WorkloadId helperId, string file, CancellationToken ct)
    {
        var platform = Platform;
        var path = options.Value.HomePath;
        var spec = new WorkloadSpec
        {
            Id = helperId,
            Image = image,
            Tenant = tenant,
            Command = ["sleep", "3600"],
            Volumes = [new VolumeMount(volume, path, ReadOnly: true)],
            Resources = new WorkloadResources(0.5, 128L * 1024 * 1024, 64),
        };
        try
        {
            await platform.EnsureAsync(spec, ct);
            // On Kubernetes the helper is a pod that is scheduled and started after EnsureAsync returns.
            await platform.UntilRunningAsync(helperId, options.Value.StartTimeout, time, ct);
            await using var session = await platform.ExecAsync(helperId, new ExecRequest { Command = ["tar", "-C", path, "-cf", "-", "."], NoInput = true }, ct);
            await using var output = File.Create(file);
            var buffer = new byte[81920];
            long total = 0;
            while (true)
            {
                var read = await session.ReadAsync(buffer, ct);
                if (read.Count == 0)
                {
                    break;
                }
                if (read.Stream == OutputStream.Stdout)
                {
                    total += read.Count;
                    if (total > MaxHomeBytes)
                    {
                        throw new PlatformException($"The home directory is larger than {MaxHomeBytes / (1024 * 1024)} MiB.");
                    }
                    await output.WriteAsync(buffer.AsMemory(0, read.Count), ct);
                }
            }
            if (await session.GetExitCodeAsync(ct) is { } code and not 0)
            {
                throw new PlatformException($"Archiving the home directory failed (tar exited with {code}).");
            }
        }
        finally
        {
            await platform.RemoveAsync(helperId, CancellationToken.None);
        }
    }

    /// <summary>A build context: a Dockerfile copying home/ over the home path, and home/ itself.</summary>
    async Task WriteContextAsync(string image, string homeTar, string contextFile, CancellationToken ct)
    {
        var dockerfile = $"FROM {image}\nCOPY --chown=1000:1000 home/ {options.Value.HomePath}/\n";
        await using var context = File.Create(contextFile);
        await using var writer = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) };
        await writer.WriteEntryAsync(entry, ct);
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "home/"), ct);
        await using var home = File.OpenRead(homeTar);
        await foreach (var (name, type, source) in EntriesAsync(home, ct))
        {
            if (name.Length == 0)
            {
                continue; // the build context has home/ already
            }
            var copy = new PaxTarEntry(type, "home/" + name)
            {
                Mode = source.Mode,
                ModificationTime = source.ModificationTime,
            };
            if (type == TarEntryType.SymbolicLink)
            {
                copy.LinkName = source.LinkName;
            }
            else if (type == TarEntryType.RegularFile)
            {
                copy.DataStream = source.DataStream; // only files may have data (setting it on a link throws, even null)
            }
            await writer.WriteEntryAsync(copy, ct);
        }
    }

    /// <summary>
    /// The entries of a home tar a snapshot keeps, named relative to home (<c>notes.txt</c>, <c>src/</c>):
    /// files, directories and symbolic links (V7 files as regular ones); devices, fifos and hard links are
    /// nothing a home directory needs in a snapshot. The home directory's own entry (<c>./</c>) comes with
    /// the name "". An entry's data must be read before the next one is asked for.
    /// </summary>
    internal static async IAsyncEnumerable<(string Name, TarEntryType Type, TarEntry Entry)> EntriesAsync(Stream homeTar, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = new TarReader(homeTar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } source)
        {
            var name = source.Name.StartsWith("./", StringComparison.Ordinal) ? source.Name[2..] : source.Name;
            if (name is "." or "./")
            {
                name = "";
            }
            // The engine's own archive is trusted to stay inside home; should it not, nothing outside is written.
            if (!IsInsideHome(name))
            {
                throw new InvalidDataException($"The home archive holds an entry outside the home directory: '{name}'.");
            }
            if (source.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory or TarEntryType.SymbolicLink))
            {
                continue;
            }
            yield return (name, source.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : source.EntryType, source);
        }
    }

    /// <summary>A relative name with no ".." segment: absolute names and climbing out of home are refused.</summary>
    internal static bool IsInsideHome(string name) =>
        !name.StartsWith('/') && !name.Contains('\0', StringComparison.Ordinal)
        && !name.Split('/').Any(segment => segment == "..");
}
