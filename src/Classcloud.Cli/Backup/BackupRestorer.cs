using Classcloud.Platform;

namespace Classcloud.Cli.Backup;

/// <summary>What `backup restore` was asked for beyond the settings.</summary>
internal sealed record RestoreOptions(string File, bool Force, string? KeyFile, bool WithoutKey);

/// <summary>
/// <c>classcloud backup restore</c>: unpacks and checks the whole archive in a folder beside the data
/// directory first (a bad archive stops here, with nothing changed), refuses to replace existing data
/// without <c>--force</c>, then restores the home volumes, the database, and last the data directory
/// in one rename. A replaced data directory is kept beside, renamed, never deleted.
/// </summary>
internal sealed class BackupRestorer(BackupSettings settings, IContainerPlatform? platform, TextWriter stdout, TextWriter stderr)
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<int> RunAsync(RestoreOptions options, CancellationToken ct)
    {
        var file = Path.GetFullPath(options.File);
        if (!File.Exists(file))
        {
            throw new BackupException($"there is no file {file}.");
        }
        var dataDirectory = settings.DataDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(dataDirectory)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".classcloud-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work, Private);
        try
        {
            await stderr.WriteLineAsync($"checking {file}…");
            var archive = Path.Combine(work, "archive");
            Directory.CreateDirectory(archive, Private);
            var manifest = await BackupArchive.ExtractAsync(file, archive, ct);
            await stderr.WriteLineAsync($"archive intact: {manifest.Entries.Count} entries, made {manifest.CreatedAt:u} by classcloud {manifest.ClasscloudVersion}, database {manifest.Database.Provider} at migration {manifest.Database.Migration ?? "none"}");
            var key = await FindKeyAsync(manifest, archive, file, options, ct);
            var home = new HomeVolumes(platform!, settings);
            await CheckTargetsAsync(manifest, options.Force, ct);

            foreach (var (volume, index) in manifest.Volumes.Select((v, i) => (v, i + 1)))
            {
                await RestoreVolumeAsync(home, volume, Path.Combine(archive, volume.Entry), options.Force, ct);
                await stderr.WriteLineAsync($"{HomeVolumes.Describe(volume.Name, volume.Labels)} ({index}/{manifest.Volumes.Count}) restored");
            }
            var data = Path.Combine(archive, BackupManifest.DataFolder);
            Directory.CreateDirectory(data);
            var databaseSaid = await RestoreDatabaseAsync(manifest, archive, data, ct);
            var keySaid = PlaceKey(key, data);
            var aside = SwapDataDirectory(data, dataDirectory);

            await stdout.WriteLineAsync($"Restored from {file}:");
            await stdout.WriteLineAsync($"  database: {databaseSaid}");
            await stdout.WriteLineAsync($"  data directory: {manifest.Entries.Count(e => e.Path.StartsWith(BackupManifest.DataFolder + "/", StringComparison.Ordinal))} files in {dataDirectory}{(aside is null ? "" : $" (the previous one is kept as {aside})")}");
            await stdout.WriteLineAsync($"  home volumes: {(manifest.Volumes.Count == 0 ? "none" : string.Join(", ", manifest.Volumes.Select(v => v.Name)))}");
            await stdout.WriteLineAsync($"  key-encryption key: {keySaid}");
            await stdout.WriteLineAsync("Start Classcloud (./run.sh): it applies newer migrations, and the reconciler recreates the containers.");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The key's bytes: inside the archive, else --key, else &lt;file&gt;.key; checked against the manifest.</summary>
    async Task<byte[]?> FindKeyAsync(BackupManifest manifest, string archive, string file, RestoreOptions options, CancellationToken ct)
    {
        if (manifest.Key.Sha256 is null)
        {
            return null; // the install had never started: nothing was sealed with a key yet
        }
        var path = manifest.Key.Included ? Path.Combine(archive, BackupManifest.KeyEntry) : Path.GetFullPath(options.KeyFile ?? file + ".key");
        if (!File.Exists(path))
        {
            if (options.WithoutKey)
            {
                await stderr.WriteLineAsync("WARNING: restoring without the key-encryption key: sign-ins, access tokens and stored secrets (desktop passwords) of the backup cannot be opened.");
                return null;
            }
            throw new BackupException($"the key-encryption key is not at {path}; give it with --key FILE (it was written beside the archive as <file>.key), or --without-key to restore without it (stored secrets are then lost).");
        }
        if (await BackupManifest.Sha256Async(path, ct) != manifest.Key.Sha256)
        {
            throw new BackupException($"{path} is not the key-encryption key of this backup (its checksum differs).");
        }
        return await File.ReadAllBytesAsync(path, ct);
    }

    async Task CheckTargetsAsync(BackupManifest manifest, bool force, CancellationToken ct)
    {
        if (!manifest.Database.Provider.Equals(settings.Provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException($"the backup holds a {manifest.Database.Provider} database, but this install is configured for {settings.Provider} (Classcloud__Database__Provider).");
        }
        if (manifest.Scope != settings.Scope)
        {
            // Workload ids, volume and network names in the database carry the scope: another one would orphan them all.
            throw new BackupException($"the backup is of the scope '{manifest.Scope}', but this install's is '{settings.Scope}'; set Classcloud__Controller__Scope={manifest.Scope}.");
        }
        if (manifest.Volumes.Count > 0 && platform is null)
        {
            throw new BackupException($"the backup holds {manifest.Volumes.Count} home volumes, but the container platform is off; set Classcloud__Platform__Enabled=true as ./run.sh does.");
        }
        var existing = new List<string>();
        if (Directory.Exists(settings.DataDirectory) && Directory.EnumerateFileSystemEntries(settings.DataDirectory).Any())
        {
            existing.Add($"the data directory {settings.DataDirectory} is not empty");
        }
        if ((settings.IsPostgres || !BackupCreator.IsInside(settings.SqliteFile, settings.DataDirectory)) && await DatabaseBackup.TargetHasDataAsync(settings, ct))
        {
            existing.Add("the database holds tables");
        }
        if (platform is not null && manifest.Volumes.Count > 0)
        {
            var names = (await new HomeVolumes(platform, settings).ListAsync(ct)).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            var clashes = manifest.Volumes.Where(v => names.Contains(v.Name)).Select(v => v.Name).ToList();
            if (clashes.Count > 0)
            {
                existing.Add($"the engine has volumes of the same names ({string.Join(", ", clashes)})");
            }
        }
        if (existing.Count > 0 && !force)
        {
            throw new BackupException($"refusing to overwrite: {string.Join("; ", existing)}. Stop Classcloud and add --force to replace them (a replaced data directory is kept beside it).");
        }
    }

    async Task RestoreVolumeAsync(HomeVolumes home, BackupVolume volume, string tar, bool force, CancellationToken ct)
    {
        if (force)
        {
            try
            {
                await platform!.RemoveVolumeAsync(volume.Name, ct);
            }
            catch (PlatformConflictException)
            {
                throw new BackupException($"the volume {volume.Name} is in use; stop Classcloud and its workspaces first.");
            }
        }
        await home.EnsureHelperImageAsync(ct);
        await home.RestoreAsync(volume, tar, ct);
    }

    async Task<string> RestoreDatabaseAsync(BackupManifest manifest, string archive, string data, CancellationToken ct)
    {
        var source = Path.Combine(archive, manifest.Database.Entry);
        if (settings.IsPostgres)
        {
            await stderr.WriteLineAsync("database: pg_restore…");
            await DatabaseBackup.RestorePostgresAsync(settings, source, ct);
            return $"PostgreSQL, migration {manifest.Database.Migration ?? "none"}, loaded with pg_restore";
        }
        if (BackupCreator.IsInside(settings.SqliteFile, settings.DataDirectory))
        {
            // Moved with the data directory below.
            var target = Path.Combine(data, Path.GetRelativePath(settings.DataDirectory, settings.SqliteFile));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(source, target);
        }
        else
        {
            File.Move(source, settings.SqliteFile, overwrite: true); // --force was checked above
        }
        return $"SQLite, migration {manifest.Database.Migration ?? "none"}, at {settings.SqliteFile}";
    }

    string PlaceKey(byte[]? key, string data)
    {
        if (key is null)
        {
            return "none restored";
        }
        var configured = !string.IsNullOrWhiteSpace(settings.ConfiguredKeyFile);
        if (configured && File.Exists(settings.KeyFile))
        {
            return File.ReadAllBytes(settings.KeyFile).AsSpan().SequenceEqual(key)
                ? $"{settings.KeyFile} (configured) is already the backup's"
                : $"WARNING: {settings.KeyFile} (configured) differs from the backup's key; put the backup's key there before starting";
        }
        var target = configured ? settings.KeyFile : Path.Combine(data, Path.GetRelativePath(settings.DataDirectory, settings.KeyFile));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!, Private);
        using (var stream = new FileStream(target, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(key);
        }
        return settings.KeyFile;
    }

    /// <summary>Puts the assembled folder in place with one rename; returns where a replaced data directory went.</summary>
    static string? SwapDataDirectory(string assembled, string dataDirectory)
    {
        string? aside = null;
        if (Directory.Exists(dataDirectory))
        {
            if (Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            {
                aside = $"{dataDirectory}.before-restore-{DateTime.UtcNow:yyyyMMddHHmmss}";
                Directory.Move(dataDirectory, aside);
            }
            else
            {
                Directory.Delete(dataDirectory);
            }
        }
        Directory.Move(assembled, dataDirectory);
        File.SetUnixFileMode(dataDirectory, Private);
        return aside;
    }
}
