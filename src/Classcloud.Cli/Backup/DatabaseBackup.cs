using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Classcloud.Cli.Backup;

/// <summary>
/// The database, consistent while the server writes to it: SQLite through its online backup API (a
/// snapshot of one moment, write-ahead log included), PostgreSQL through <c>pg_dump</c> (one transaction)
/// in its custom format, restored with <c>pg_restore</c>. Both tools are found on PATH.
/// </summary>
internal static class DatabaseBackup
{
    public const string SqliteEntry = "database/classcloud.db";
    public const string PostgresEntry = "database/classcloud.pgdump";

    /// <summary>Writes the database into <paramref name="staging"/> and returns what the manifest says of it.</summary>
    public static async Task<BackupDatabase> BackUpAsync(BackupSettings settings, string staging, CancellationToken ct)
    {
        if (settings.IsPostgres)
        {
            var dump = Path.Combine(staging, PostgresEntry);
            Directory.CreateDirectory(Path.GetDirectoryName(dump)!);
            await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", $"--file={dump}"], settings, ct);
            return new BackupDatabase("Postgres", PostgresEntry, await PostgresMigrationAsync(settings.ConnectionString!, ct));
        }
        if (!File.Exists(settings.SqliteFile))
        {
            throw new BackupException($"there is no database at {settings.SqliteFile}; is CLASSCLOUD_DATA the one ./run.sh uses?");
        }
        var copy = Path.Combine(staging, SqliteEntry);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        await using (var source = new SqliteConnection(Sqlite(settings.SqliteFile, SqliteOpenMode.ReadOnly)))
        await using (var target = new SqliteConnection(Sqlite(copy, SqliteOpenMode.ReadWriteCreate)))
        {
            await source.OpenAsync(ct);
            await target.OpenAsync(ct);
            source.BackupDatabase(target);
            // The copy stands alone: no -wal file beside it inside the archive.
            await using var journal = target.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            await journal.ExecuteNonQueryAsync(ct);
        }
        return new BackupDatabase("Sqlite", SqliteEntry, await SqliteMigrationAsync(copy, ct));
    }

    /// <summary>Whether the target database already holds tables (a restore over it needs --force).</summary>
    public static async Task<bool> TargetHasDataAsync(BackupSettings settings, CancellationToken ct)
    {
        if (!settings.IsPostgres)
        {
            return File.Exists(settings.SqliteFile);
        }
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", connection);
        return (long)(await command.ExecuteScalarAsync(ct) ?? 0L) > 0;
    }

    /// <summary>Loads a PostgreSQL dump into the configured database, replacing what is there, in one transaction.</summary>
    public static Task RestorePostgresAsync(BackupSettings settings, string dump, CancellationToken ct) =>
        RunAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
            $"--dbname={new NpgsqlConnectionStringBuilder(settings.ConnectionString).Database}", dump], settings, ct);

    static string Sqlite(string file, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString();

    static async Task<string?> SqliteMigrationAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(Sqlite(file, SqliteOpenMode.ReadOnly));
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM \"__EFMigrationsHistory\" ORDER BY MigrationId DESC LIMIT 1";
        try
        {
            return await command.ExecuteScalarAsync(ct) as string;
        }
        catch (SqliteException)
        {
            return null; // never started: no history table yet
        }
    }

    static async Task<string?> PostgresMigrationAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\" DESC LIMIT 1", connection);
        try
        {
            return await command.ExecuteScalarAsync(ct) as string;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs a PostgreSQL tool against the configured database. The connection goes in libpq's PG*
    /// variables, never on the command line, where every user of the host could read the password.
    /// </summary>
    static async Task RunAsync(string tool, IReadOnlyList<string> args, BackupSettings settings, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var c = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        start.Environment["PGHOST"] = c.Host;
        start.Environment["PGPORT"] = c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = c.Database;
        start.Environment["PGUSER"] = c.Username;
        start.Environment["PGPASSWORD"] = c.Password;
        start.Environment["PGSSLMODE"] = c.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BackupException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BackupException($"{tool} is not installed (it is not on PATH); install the PostgreSQL client of the server's version (Debian: apt-get install postgresql-client).");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new BackupException($"{tool} failed (exit {process.ExitCode}): {(await stderr).Trim()}{(await stdout).Trim()}");
            }
        }
    }
}

/// <summary>A backup or restore that cannot go on, with the sentence to show.</summary>
internal sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
