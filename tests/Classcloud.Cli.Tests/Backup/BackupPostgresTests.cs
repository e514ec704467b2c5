using System.Net;
using System.Net.Http.Json;
using Classcloud.Cli.Backup;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Classcloud.Cli.Tests.Backup;

/// <summary>
/// The PostgreSQL side: `backup create` runs pg_dump against the running server's database; `restore`
/// loads it into another, empty database (and refuses one that holds tables unless --force); a server
/// on that database and a fresh data directory signs the teacher in and shows the post.
/// </summary>
public sealed class BackupPostgresTests : IAsyncLifetime
{
    readonly string folder = Directory.CreateTempSubdirectory("classcloud-backup-pg-").FullName;
    readonly List<ClasscloudHost> hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    async Task<GivenPostgresHost> NewHostAsync()
    {
        var host = new GivenPostgresHost(await TestDatabases.CreatePostgresAsync("cc_backup", CancellationToken.None));
        hosts.Add(host);
        return host;
    }

    static async Task<(int Code, string Out, string Err)> CliAsync(GivenPostgresHost host, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Classcloud:DataDirectory"] = host.DataDirectory,
            ["Classcloud:Database:Provider"] = "Postgres",
            ["Classcloud:Database:ConnectionString"] = host.Database,
        }).Build();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await BackupCommand.RunAsync(args, configuration, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_pg_dump_backup_restores_into_an_empty_database_and_refuses_a_full_one_without_force()
    {
        var first = await NewHostAsync();
        var teacher = await first.UserAsync(TestRole.Educator);
        var course = await Api.CreatedAsync(teacher.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Databases 2026-2", description = "term 2" }));
        var post = await CourseCast.PostAsync(teacher, course.GetProperty("id").GetInt64(), "notice", "Quiz on Friday", "everyone");
        var archive = Path.Combine(folder, "school.tar.gz");
        var created = await CliAsync(first, "create", archive);
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("database (Postgres, migration ", created.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("migration none", created.Err, StringComparison.Ordinal);

        var second = await NewHostAsync();
        var restored = await CliAsync(second, "restore", archive);
        Assert.True(restored.Code == 0, restored.Err);
        Assert.Contains("loaded with pg_restore", restored.Out, StringComparison.Ordinal);

        // Into the same database again (with an empty data directory): its tables make it refuse.
        Directory.Delete(second.DataDirectory, recursive: true);
        var refused = await CliAsync(second, "restore", archive);
        Assert.Equal(1, refused.Code);
        Assert.Contains("the database holds tables", refused.Err, StringComparison.Ordinal);
        var forced = await CliAsync(second, "restore", archive, "--force");
        Assert.True(forced.Code == 0, forced.Err);

        var client = second.NewClient();
        using (var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = teacher.Email, password = TestAccounts.Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        var read = await Api.OkAsync(client.GetAsync($"/api/v1/posts/{post}"));
        Assert.Contains("Quiz on Friday", read.ToString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await ((IAsyncLifetime)host).DisposeAsync();
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A host on a database the test made (and can hand to the CLI); dropped with the host.</summary>
    sealed class GivenPostgresHost : ClasscloudHost
    {
        public GivenPostgresHost(string connectionString) : base(DatabaseProvider.Postgres) => ConnectionString = connectionString;

        public string Database => ConnectionString!;

        protected override Task CleanUpAsync() => TestDatabases.DropPostgresAsync(ConnectionString!);
    }
}
