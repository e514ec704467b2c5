using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Data;

/// <summary>The embedded database runs in write-ahead-log mode with synchronous=NORMAL on every connection.</summary>
public sealed class SqlitePragmaTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task The_database_file_is_in_wal_mode_and_every_connection_syncs_normally()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode;"));
        Assert.Equal("1", await ScalarAsync(db, "PRAGMA synchronous;")); // 1 = NORMAL (2 = FULL, the default)
    }

    static async Task<string?> ScalarAsync(ClasscloudDb db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
