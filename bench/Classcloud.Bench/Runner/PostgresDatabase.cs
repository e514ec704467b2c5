using Npgsql;

namespace Classcloud.Bench.Runner;

/// <summary>A fresh, empty PostgreSQL database for one run, dropped afterwards.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    readonly string adminConnectionString;

    PostgresDatabase(string adminConnectionString, string connectionString)
    {
        this.adminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync(string adminConnectionString, CancellationToken ct)
    {
        var name = $"cc_bench_{Guid.NewGuid():N}"[..30];
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({ex.Message}). Run through bench/run.sh, which starts it, or pass --postgres.", ex);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        return new PostgresDatabase(adminConnectionString, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"bench: could not drop database {name}: {ex.Message}");
        }
    }
}
