using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Classcloud.Web.Tests.Data;

/// <summary>
/// An upgrade from the previous release: a database that release made and filled through its own API
/// (<c>scripts/upgrade-fixture.sh</c>, kept in Data/Upgrade with the commit it came from) is migrated by today's host
/// at start, and what was in it still works — the administrator signs in with the password of then, the token of
/// then still authenticates, the course and its notice read back. A migration that cannot run over existing rows (a
/// required column without a default, a renamed table) fails here, where the schema test on an empty database passes.
/// </summary>
public abstract class UpgradeTests(ClasscloudHost host)
{
    internal static string Folder => Path.Combine(ProcessHost.RepositoryRoot(), "tests", "Classcloud.Web.Tests", "Data", "Upgrade");

    internal static JsonElement Facts(string suffix) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, $"fixture{suffix}.json"))).RootElement;

    protected abstract string Suffix { get; }

    [Fact]
    public async Task A_database_of_the_previous_release_is_migrated_at_start_and_its_data_still_works()
    {
        var facts = Facts(Suffix);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }

        var client = host.NewClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "admin@localhost", password = facts.GetProperty("password").GetString() });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var api = host.NewClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", facts.GetProperty("token").GetString());
        var course = await api.GetFromJsonAsync<JsonElement>($"/api/v1/courses/{facts.GetProperty("course").GetInt64()}");
        Assert.Equal("업그레이드 강좌", course.GetProperty("name").GetString());
        var post = await api.GetFromJsonAsync<JsonElement>($"/api/v1/posts/{facts.GetProperty("post").GetInt64()}");
        Assert.Equal("첫 공지", post.GetProperty("title").GetString());
        Assert.Contains("<strong>환영합니다</strong>", post.GetRawText().Replace("\\u003C", "<", StringComparison.Ordinal).Replace("\\u003E", ">", StringComparison.Ordinal), StringComparison.Ordinal);

        // Writing works too: the upgraded database takes a new post beside the old one.
        var added = await api.PostAsJsonAsync($"/api/v1/courses/{facts.GetProperty("course").GetInt64()}/boards/notice/posts", new { title = "after the upgrade", body = "new", visibility = "everyone" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
    }
}

/// <summary>The previous release's SQLite file and its key-encryption key, put where the host looks before it starts.</summary>
public sealed class UpgradedSqliteHost : ClasscloudHost
{
    public UpgradedSqliteHost() : base(DatabaseProvider.Sqlite)
    {
        File.Copy(Path.Combine(UpgradeTests.Folder, "release.db"), Path.Combine(DataDirectory, "classcloud.db"));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "keys"));
        File.Copy(Path.Combine(UpgradeTests.Folder, "release.key"), Path.Combine(DataDirectory, "keys", "key-encryption.key"));
    }
}

/// <summary>A fresh PostgreSQL database loaded from the previous release's dump, and that release's key.</summary>
public sealed class UpgradedPostgresHost : ClasscloudHost
{
    public UpgradedPostgresHost() : base(DatabaseProvider.Postgres)
    {
        Directory.CreateDirectory(Path.Combine(DataDirectory, "keys"));
        File.Copy(Path.Combine(UpgradeTests.Folder, "release-postgres.key"), Path.Combine(DataDirectory, "keys", "key-encryption.key"));
    }

    public override async Task InitializeAsync()
    {
        ConnectionString = await TestDatabases.CreatePostgresAsync("cc_upgrade", CancellationToken.None);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var load = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(UpgradeTests.Folder, "release-postgres.sql")), connection);
        await load.ExecuteNonQueryAsync();
    }

    protected override async Task CleanUpAsync()
    {
        if (ConnectionString is not null)
        {
            await TestDatabases.DropPostgresAsync(ConnectionString);
        }
    }
}

public sealed class SqliteUpgradeTests(UpgradedSqliteHost host) : UpgradeTests(host), IClassFixture<UpgradedSqliteHost>
{
    protected override string Suffix => "";
}

public sealed class PostgresUpgradeTests(UpgradedPostgresHost host) : UpgradeTests(host), IClassFixture<UpgradedPostgresHost>
{
    protected override string Suffix => "-postgres";
}
