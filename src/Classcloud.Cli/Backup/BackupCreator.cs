using System.Globalization;
using Classcloud.Platform;

namespace Classcloud.Cli.Backup;

/// <summary>What `backup create` was asked for beyond the settings.</summary>
internal sealed record CreateOptions(string File, bool IncludeKey, bool WithoutRegistry);

/// <summary>
/// <c>classcloud backup create</c>: stages the database, the data directory's files and every home
/// volume in a folder beside the archive, then packs them with a manifest. The key-encryption key
/// goes beside the archive unless asked for inside: whoever holds both holds every secret.
/// </summary>
internal sealed class BackupCreator(BackupSettings settings, IContainerPlatform? platform, TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(CreateOptions options, CancellationToken ct)
    {
        var file = Path.GetFullPath(options.File);
        if (!Directory.Exists(settings.DataDirectory))
        {
            throw new BackupException($"there is no data directory at {settings.DataDirectory}; run with the environment of ./run.sh (CLASSCLOUD_DATA).");
        }
        if (IsInside(file, settings.DataDirectory))
        {
            throw new BackupException($"write the backup outside the data directory ({settings.DataDirectory}).");
        }
        if (File.Exists(file))
        {
            throw new BackupException($"{file} exists already; choose another name.");
        }
        var keyFile = file + ".key";
        if (!options.IncludeKey && File.Exists(keyFile))
        {
            throw new BackupException($"{keyFile} exists already; choose another name.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var staging = Path.Combine(Path.GetDirectoryName(file)!, $".classcloud-backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var database = await DatabaseBackup.BackUpAsync(settings, staging, ct);
            await stderr.WriteLineAsync($"database ({database.Provider}, migration {database.Migration ?? "none"}) {Size(SizeOf(Path.Combine(staging, database.Entry)))}");
            await CopyFilesAsync(Path.Combine(staging, "data"), options.WithoutRegistry, ct);
            var volumes = await BackUpHomesAsync(staging, ct);
            var key = await StageKeyAsync(staging, options.IncludeKey, ct);
            var manifest = new BackupManifest
            {
                ClasscloudVersion = typeof(BackupCreator).Assembly.GetName().Version?.ToString() ?? "unknown",
                CreatedAt = DateTimeOffset.UtcNow,
                Database = database,
                DataDirectory = settings.DataDirectory,
                Scope = settings.Scope,
                Key = key,
                Volumes = volumes,
                Entries = await BackupArchive.DescribeAsync(staging, ct),
            };
            await stderr.WriteLineAsync("packing…");
            await BackupArchive.WriteAsync(staging, manifest, file, ct);
            if (key.Sha256 is not null && !key.Included)
            {
                File.Copy(settings.KeyFile, keyFile);
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            await stdout.WriteLineAsync($"Backup written to {file} ({Size(new FileInfo(file).Length)}): the database, {manifest.Entries.Count(e => e.Path.StartsWith("data/", StringComparison.Ordinal))} files of the data directory, {volumes.Count} home volumes.");
            await WarnAboutKeyAsync(key, keyFile);
            return 0;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The data directory's files, except the database (backed up above) and the key (handled apart).</summary>
    async Task CopyFilesAsync(string target, bool withoutRegistry, CancellationToken ct)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal) { settings.KeyFile };
        if (!settings.IsPostgres)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                skip.Add(settings.SqliteFile + suffix);
            }
        }
        var registry = Path.Combine(settings.DataDirectory, "registry") + Path.DirectorySeparatorChar;
        // Runtime state the host makes afresh at each start: the workspace command's Unix socket (a socket cannot be
        // read as a file, and a restored one would be stale).
        var runtime = Path.Combine(settings.DataDirectory, "workspace-cli", "run") + Path.DirectorySeparatorChar;
        long files = 0, bytes = 0, registryBytes = 0;
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        foreach (var path in Directory.EnumerateFiles(settings.DataDirectory, "*", walk))
        {
            var inRegistry = path.StartsWith(registry, StringComparison.Ordinal);
            if (skip.Contains(path) || (withoutRegistry && inRegistry) || path.StartsWith(runtime, StringComparison.Ordinal))
            {
                continue;
            }
            var copy = Path.Combine(target, Path.GetRelativePath(settings.DataDirectory, path));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            await using (var source = File.OpenRead(path))
            await using (var destination = File.Create(copy))
            {
                await source.CopyToAsync(destination, ct);
            }
            var length = new FileInfo(copy).Length;
            files++;
            bytes += length;
            registryBytes += inRegistry ? length : 0;
        }
        await stderr.WriteLineAsync($"files: {files} ({Size(bytes)}{(registryBytes > 0 ? $", of which the registry's storage {Size(registryBytes)}" : "")})");
    }

    async Task<IReadOnlyList<BackupVolume>> BackUpHomesAsync(string staging, CancellationToken ct)
    {
        if (platform is null)
        {
            await stderr.WriteLineAsync("homes: skipped, the container platform is off (Classcloud__Platform__Enabled)");
            return [];
        }
        var homes = new HomeVolumes(platform, settings);
        var volumes = await homes.ListAsync(ct);
        if (volumes.Count == 0)
        {
            await stderr.WriteLineAsync("homes: none");
            return [];
        }
        await homes.EnsureHelperImageAsync(ct);
        Directory.CreateDirectory(Path.Combine(staging, "volumes"));
        var done = new List<BackupVolume>();
        foreach (var volume in volumes)
        {
            var entry = $"volumes/{volume.Name}.tar";
            var bytes = await homes.ArchiveAsync(volume, Path.Combine(staging, entry), ct);
            done.Add(new BackupVolume(volume.Name, volume.Labels, entry));
            await stderr.WriteLineAsync($"{HomeVolumes.Describe(volume.Name, volume.Labels)} ({done.Count}/{volumes.Count}) {Size(bytes)}");
        }
        return done;
    }

    async Task<BackupKey> StageKeyAsync(string staging, bool include, CancellationToken ct)
    {
        if (!File.Exists(settings.KeyFile))
        {
            await stderr.WriteLineAsync($"key: none at {settings.KeyFile} (the server makes it on its first start)");
            return new BackupKey(false, null);
        }
        var sha = await BackupManifest.Sha256Async(settings.KeyFile, ct);
        if (include)
        {
            var copy = Path.Combine(staging, BackupManifest.KeyEntry);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(settings.KeyFile, copy);
        }
        return new BackupKey(include, sha);
    }

    async Task WarnAboutKeyAsync(BackupKey key, string keyFile)
    {
        if (key.Sha256 is null)
        {
            return;
        }
        await stderr.WriteLineAsync(key.Included
            ? "WARNING: the key-encryption key is INSIDE this backup (--include-key): whoever reads the archive can open every stored secret. Keep it encrypted."
            : $"WARNING: the key-encryption key is in {keyFile}. Keep it apart from the archive (another disk, a safe); restoring needs both.");
    }

    internal static bool IsInside(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    static long SizeOf(string file) => new FileInfo(file).Length;

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };
}
