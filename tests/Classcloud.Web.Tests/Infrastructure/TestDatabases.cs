using Npgsql;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server test.sh starts. A missing server is a failure, never a skip (DESIGN.md §6):
/// the first test that needs it fails with a message saying how to start it.
/// </summary>
public static class TestDatabases
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("CLASSCLOUD_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=classcloud_test;Password=classcloud_test;Database=postgres";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreatePostgresAsync(string prefix, CancellationToken ct)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        try
        {
            await using var connection = new NpgsqlConnection(PostgresAdminConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with CLASSCLOUD_TEST_POSTGRES ({ex.Message}). Run the tests through ./test.sh, which installs and starts it.", ex);
        }
        return new NpgsqlConnectionStringBuilder(PostgresAdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropPostgresAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (attempt < 10 && ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                // FORCE may not end an autovacuum worker busy in that database (it is the superuser's process,
                // 42501); it is done in a moment.
                await Task.Delay(500);
            }
        }
    }
}
