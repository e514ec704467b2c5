using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Classcloud.Cli.Backup;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Classcloud.Cli.Tests.Backup;

/// <summary>
/// `classcloud backup` without the engine: an SQLite database in write-ahead-log mode with a commit only
/// in the log, files, and the key; what a restore refuses, and that a refused restore writes nothing.
/// </summary>
public sealed class BackupFilesTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("classcloud-backup-").FullName;
    readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    string Data => Path.Combine(root, "data");

    string Archive => Path.Combine(root, "out", "school.tar.gz");

    public BackupFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(Data, "files", "attachments", "1"));
        File.WriteAllText(Path.Combine(Data, "files", "attachments", "1", "notes.txt"), "lecture notes");
        Directory.CreateDirectory(Path.Combine(Data, "keys"));
        File.WriteAllBytes(Path.Combine(Data, "keys", "key-encryption.key"), key);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>The database as the server leaves it: WAL mode, the last commit still only in the -wal file (the connection stays open).</summary>
    SqliteConnection OpenLiveDatabase()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "classcloud.db")}");
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE \"__EFMigrationsHistory\" (MigrationId TEXT, ProductVersion TEXT);"
            + "INSERT INTO \"__EFMigrationsHistory\" VALUES ('20260101000000_Initial', '10'), ('20261201000000_Later', '10');"
            + "CREATE TABLE Posts (Title TEXT); INSERT INTO Posts VALUES ('Exam in room 301');");
        return connection;
    }

    static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static IConfiguration Settings(string data, string? scope) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Classcloud:DataDirectory"] = data,
            ["Classcloud:Controller:Scope"] = scope,
        }).Build();

    static Task<(int Code, string Out, string Err)> RunAsync(string data, params string[] args) => RunInScopeAsync(data, null, args);

    static async Task<(int Code, string Out, string Err)> RunInScopeAsync(string data, string? scope, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await BackupCommand.RunAsync(args, Settings(data, scope), stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    async Task CreateAsync(params string[] extra)
    {
        using var live = OpenLiveDatabase();
        Assert.True(new FileInfo(Path.Combine(Data, "classcloud.db-wal")).Length > 0);
        var created = await RunAsync(Data, ["create", Archive, .. extra]);
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("database (Sqlite, migration 20261201000000_Later)", created.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_restored_onto_an_empty_directory_has_the_database_files_and_key()
    {
        await CreateAsync();
        Assert.Equal(key, File.ReadAllBytes(Archive + ".key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Archive + ".key"));
        var names = await EntryNamesAsync(Archive);
        Assert.Equal("manifest.json", names[0]);
        Assert.Contains("database/classcloud.db", names);
        Assert.Contains("data/files/attachments/1/notes.txt", names);
        Assert.DoesNotContain(names, n => n.Contains("key-encryption", StringComparison.Ordinal) || n.Contains("-wal", StringComparison.Ordinal));

        var fresh = Path.Combine(root, "fresh");
        var restored = await RunAsync(fresh, "restore", Archive);
        Assert.True(restored.Code == 0, restored.Err);
        Assert.Equal("lecture notes", File.ReadAllText(Path.Combine(fresh, "files", "attachments", "1", "notes.txt")));
        Assert.Equal(key, File.ReadAllBytes(Path.Combine(fresh, "keys", "key-encryption.key")));
        using var db = new SqliteConnection($"Data Source={Path.Combine(fresh, "classcloud.db")};Pooling=false");
        db.Open();
        using var read = db.CreateCommand();
        read.CommandText = "SELECT Title FROM Posts";
        Assert.Equal("Exam in room 301", read.ExecuteScalar()); // the commit that was only in the log
        Assert.Empty(Directory.GetDirectories(root, ".classcloud-restore-*"));
    }

    [Fact]
    public async Task Include_key_puts_the_key_inside_and_nothing_beside()
    {
        await CreateAsync("--include-key");
        Assert.False(File.Exists(Archive + ".key"));
        Assert.Contains("keys/key-encryption.key", await EntryNamesAsync(Archive));
        var fresh = Path.Combine(root, "fresh");
        Assert.Equal(0, (await RunAsync(fresh, "restore", Archive)).Code);
        Assert.Equal(key, File.ReadAllBytes(Path.Combine(fresh, "keys", "key-encryption.key")));
    }

    [Fact]
    public async Task A_non_empty_data_directory_is_refused_without_force_and_kept_aside_with_it()
    {
        await CreateAsync();
        var target = Path.Combine(root, "target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "mine.txt"), "keep me");

        var refused = await RunAsync(target, "restore", Archive);
        Assert.Equal(1, refused.Code);
        Assert.Contains("refusing to overwrite", refused.Err, StringComparison.Ordinal);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));

        var forced = await RunAsync(target, "restore", Archive, "--force");
        Assert.True(forced.Code == 0, forced.Err);
        Assert.True(File.Exists(Path.Combine(target, "files", "attachments", "1", "notes.txt")));
        Assert.False(File.Exists(Path.Combine(target, "mine.txt")));
        var aside = Assert.Single(Directory.GetDirectories(root, "target.before-restore-*"));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(aside, "mine.txt")));
        Assert.Contains(aside, forced.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_and_nothing_is_written()
    {
        await CreateAsync();
        var bytes = File.ReadAllBytes(Archive);
        File.WriteAllBytes(Archive, bytes[..(bytes.Length / 2)]);
        await AssertRefusedAsync("damaged or truncated");
    }

    [Fact]
    public async Task An_altered_file_inside_is_refused_by_its_checksum()
    {
        await CreateAsync();
        await RewriteAsync(Archive, "data/files/attachments/1/notes.txt", "LECTURE NOTES"u8.ToArray());
        await AssertRefusedAsync("does not match its checksum");
    }

    [Fact]
    public async Task A_file_that_is_no_backup_is_refused()
    {
        var junk = Path.Combine(root, "junk.tar.gz");
        await File.WriteAllTextAsync(junk, "not a backup");
        await AssertRefusedAsync("damaged or truncated", junk);
    }

    [Fact]
    public async Task A_missing_or_foreign_key_is_refused()
    {
        await CreateAsync();
        File.Move(Archive + ".key", Archive + ".kept");
        await AssertRefusedAsync("not at");
        File.WriteAllBytes(Archive + ".key", RandomNumberGenerator.GetBytes(32));
        await AssertRefusedAsync("not the key-encryption key of this backup");
        var with = await RunAsync(Path.Combine(root, "fresh"), "restore", Archive, "--key", Archive + ".kept");
        Assert.True(with.Code == 0, with.Err);
    }

    [Fact]
    public async Task A_backup_of_another_scope_is_refused()
    {
        await CreateAsync();
        await AssertRefusedAsync("set Classcloud__Controller__Scope=classcloud", scope: "school2");
    }

    async Task AssertRefusedAsync(string because, string? archive = null, string? scope = null)
    {
        var fresh = Path.Combine(root, "fresh");
        var result = await RunInScopeAsync(fresh, scope, "restore", archive ?? Archive);
        Assert.Equal(1, result.Code);
        Assert.Contains(because, result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh) && Directory.EnumerateFileSystemEntries(fresh).Any());
        Assert.Empty(Directory.GetDirectories(root, ".classcloud-restore-*"));
    }

    static async Task<List<string>> EntryNamesAsync(string archive)
    {
        await using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }
        return names;
    }

    /// <summary>Rewrites the archive with one entry's content replaced, the manifest left as it was.</summary>
    static async Task RewriteAsync(string archive, string name, byte[] content)
    {
        var copy = archive + ".altered";
        await using (var input = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        await using (var reader = new TarReader(input))
        await using (var output = new GZipStream(File.Create(copy), CompressionLevel.Fastest))
        await using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.Name == name)
                {
                    entry.DataStream = new MemoryStream(content);
                }
                await writer.WriteEntryAsync(entry);
            }
        }
        File.Move(copy, archive, overwrite: true);
    }
}
