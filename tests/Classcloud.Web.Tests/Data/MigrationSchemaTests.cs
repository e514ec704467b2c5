using System.Data.Common;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Classcloud.Web.Tests.Data;

/// <summary>
/// The hand-written SQL migrations (Data/Migrations) must build exactly the schema of the EF Core
/// model, on both providers: the database the host migrated at start is compared with a second,
/// empty database built from the model itself (EnsureCreated runs the model's create script).
///
/// Why this catches a forgotten migration: add a property to an entity without a migration and
/// the model database gets a column the migrated one lacks ("only in the model: column …"); a new
/// entity adds a table, a new HasIndex an index, a changed IsRequired the nullability, and on
/// PostgreSQL a changed HasMaxLength the varchar length. Only what SQLite does not store (lengths
/// of TEXT) goes unseen there, and the PostgreSQL run sees it. Tried: an `int Extra` property added
/// to DataProtectionKey fails both runs with "only in the model: column DataProtectionKeys.Extra …".
/// </summary>
public abstract class MigrationSchemaTests(ClasscloudHost host)
{
    [Fact]
    public async Task Migrated_database_has_exactly_the_schema_of_the_model()
    {
        string migrated;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            migrated = db.Database.GetConnectionString()!;
        }
        var model = await CreateModelDatabaseAsync();
        try
        {
            var expected = await ReadSchemaAsync(model);
            var actual = await ReadSchemaAsync(migrated);
            Assert.Contains(expected, f => f.StartsWith("column AspNetUsers.Nickname ", StringComparison.Ordinal)); // the reader sees columns at all
            var onlyInModel = expected.Except(actual).ToList();
            var onlyMigrated = actual.Except(expected).ToList();
            Assert.True(onlyInModel.Count == 0 && onlyMigrated.Count == 0,
                "The migrations do not build the model's schema. Write a migration (Data/Migrations) for:\n" +
                string.Join("\n", onlyInModel.Select(f => "  only in the model:    " + f).Concat(onlyMigrated.Select(f => "  only after migrating: " + f))));
        }
        finally
        {
            await DropModelDatabaseAsync(model);
        }
    }

    /// <summary>An empty database of the same provider, built by EnsureCreated from the model; returns its connection string.</summary>
    async Task<string> CreateModelDatabaseAsync()
    {
        var connectionString = host.Provider == DatabaseProvider.Postgres
            ? await TestDatabases.CreatePostgresAsync("cc_model", CancellationToken.None)
            : $"Data Source={Path.Combine(host.DataDirectory, $"model-{Guid.NewGuid():N}.db")};Pooling=False";
        var options = new DbContextOptionsBuilder<ClasscloudDb>();
        if (host.Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString);
        }
        else
        {
            options.UseSqlite(connectionString);
        }
        await using var db = new ClasscloudDb(options.Options);
        Assert.True(await db.Database.EnsureCreatedAsync());
        return connectionString;
    }

    async Task DropModelDatabaseAsync(string connectionString)
    {
        if (host.Provider == DatabaseProvider.Postgres)
        {
            await TestDatabases.DropPostgresAsync(connectionString);
        }
        else
        {
            File.Delete(new SqliteConnectionStringBuilder(connectionString).DataSource);
        }
    }

    /// <summary>Tables, columns (type, nullability), indexes (columns, uniqueness) and constraints, one fact per line.</summary>
    async Task<SortedSet<string>> ReadSchemaAsync(string connectionString) => host.Provider == DatabaseProvider.Postgres
        ? await ReadPostgresAsync(connectionString)
        : await ReadSqliteAsync(connectionString);

    static async Task<SortedSet<string>> ReadSqliteAsync(string connectionString)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var tables = await QueryAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'",
            r => r.GetString(0));
        foreach (var table in tables)
        {
            facts.Add($"table {table}");
            foreach (var column in await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")",
                r => $"column {table}.{r.GetString(1)} {r.GetString(2)} {(r.GetInt64(3) == 1 ? "NOT NULL" : "NULL")} pk={r.GetInt64(5)}"))
            {
                facts.Add(column);
            }
            foreach (var (name, unique) in await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")", r => (r.GetString(1), r.GetInt64(2) == 1)))
            {
                var columns = await QueryAsync(connection, $"PRAGMA index_info(\"{name}\")", r => r.GetString(2));
                facts.Add($"{(unique ? "unique index" : "index")} {table}.{name} ({string.Join(", ", columns)})");
            }
            foreach (var key in await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                r => $"foreign key {table}.{r.GetString(3)} → {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}"))
            {
                facts.Add(key);
            }
        }
        return facts;
    }

    static async Task<SortedSet<string>> ReadPostgresAsync(string connectionString)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string notHistory = "NOT LIKE '\\_\\_EFMigrations%'";
        facts.UnionWith(await QueryAsync(connection,
            $"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name {notHistory}",
            r => $"table {r.GetString(0)}"));
        facts.UnionWith(await QueryAsync(connection,
            $"""
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, is_identity, identity_generation, column_default
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name {notHistory}
            """,
            r => $"column {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)}" +
                 $"{(r.IsDBNull(3) ? "" : $"({r.GetInt32(3)})")} {(r.GetString(4) == "YES" ? "NULL" : "NOT NULL")}" +
                 $"{(r.GetString(5) == "YES" ? $" identity {r.GetString(6)}" : "")}{(r.IsDBNull(7) ? "" : $" default {r.GetString(7)}")}"));
        // indexdef holds the name, uniqueness, table, method and columns: "CREATE UNIQUE INDEX … ON public."T" USING btree ("C")".
        facts.UnionWith(await QueryAsync(connection,
            $"SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename {notHistory}",
            r => $"index {r.GetString(0)}"));
        facts.UnionWith(await QueryAsync(connection,
            $"""
            SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public' AND rel.relname {notHistory}
            """,
            r => $"constraint {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)}"));
        return facts;
    }

    static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}

public sealed class SqliteMigrationSchemaTests(SqliteHost host) : MigrationSchemaTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresMigrationSchemaTests(PostgresHost host) : MigrationSchemaTests(host), IClassFixture<PostgresHost>;
