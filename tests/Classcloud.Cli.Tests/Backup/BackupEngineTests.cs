using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Cli.Backup;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Classcloud.Cli.Tests.Backup;

[CollectionDefinition(Name)]
public sealed class BackupEngine : ICollectionFixture<EngineFixture>
{
    public const string Name = "backup engine";
}

/// <summary>
/// Issue 16's restore drill on the real engine and SQLite: a course post with an attachment and a
/// workspace whose home holds a file written through the engine; `backup create` while the server
/// runs; then the server, its data directory and every container and volume of its scope are gone
/// (a new machine); `backup restore` onto a fresh data directory; a server on it signs the teacher
/// in, shows the post and the attachment, starts the workspace, and the file is there.
/// </summary>
[Collection(BackupEngine.Name)]
public sealed class BackupEngineTests(EngineFixture engine) : IAsyncLifetime
{
    /// <summary>The platform tests' base image with a main process that waits: a terminal workspace's image.</summary>
    const string Image = "classcloud-test/backup-home:1";

    readonly string scope = $"bk-{Guid.NewGuid():N}"[..14];
    readonly string folder = Directory.CreateTempSubdirectory("classcloud-backup-e2e-").FullName;
    readonly List<ClasscloudHost> hosts = [];

    IContainerPlatform Engine => engine.Platform;

    public async Task InitializeAsync()
    {
        if (await Engine.InspectImageAsync(Image, CancellationToken.None) is null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Dockerfile"),
                $"FROM {EngineFixture.BaseImage}\nCMD [\"bash\", \"-c\", \"trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done\"]\n");
            await ControllerHarness.DockerAsync("build", "-q", "-t", Image, folder);
        }
    }

    /// <summary>The settings the server and the CLI share (the environment of ./run.sh, in a test).</summary>
    Dictionary<string, string?> Settings(string dataDirectory) => new()
    {
        ["Classcloud:DataDirectory"] = dataDirectory,
        ["Classcloud:Platform:Enabled"] = "true",
        ["Classcloud:Controller:Scope"] = scope,
        ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
        ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
        ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.500",
        ["Classcloud:Workspaces:TerminalImage"] = Image,
        ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.250",
    };

    async Task<SqliteHost> StartHostAsync(Func<SqliteHost, Task>? beforeStart = null)
    {
        var host = new SqliteHost();
        hosts.Add(host);
        foreach (var (key, value) in Settings(host.DataDirectory))
        {
            host.Configure(key, value);
        }
        if (beforeStart is not null)
        {
            await beforeStart(host);
        }
        await host.InitializeAsync();
        return host;
    }

    async Task<(int Code, string Out, string Err)> CliAsync(string dataDirectory, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(dataDirectory)).Build();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await BackupCommand.RunAsync(args, configuration, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_backup_restored_on_a_fresh_data_directory_and_engine_signs_in_shows_the_post_and_the_home_file()
    {
        var first = await StartHostAsync();
        var teacher = await first.UserAsync(TestRole.Educator);
        var course = await Api.CreatedAsync(teacher.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Systems 2026-2", description = "backup drill" }));
        var post = await CourseCast.PostAsync(teacher, course.GetProperty("id").GetInt64(), "notice", "Exam in room 301", "everyone");
        var attachment = await CourseCast.AttachAsync(teacher, post, "syllabus.txt", "week 1: shells"u8.ToArray());
        var workspace = (await Api.CreatedAsync(teacher.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "Lab", description = "", kind = "terminal", visibility = "private", guestAccess = "view" }))).GetProperty("id").GetInt64();
        await StateAsync(teacher.Client, workspace, "stopped");
        await StatusAsync(teacher.Client.PostAsync($"/api/v1/workspaces/{workspace}/start", null), HttpStatusCode.Accepted);
        await StateAsync(teacher.Client, workspace, "running");
        var workload = new WorkloadId($"{scope}-ws-{workspace}");
        await ShAsync(workload, "echo 'written before the backup' > ~/notes.txt");
        await StatusAsync(teacher.Client.PostAsync($"/api/v1/workspaces/{workspace}/stop", null), HttpStatusCode.Accepted);
        await StateAsync(teacher.Client, workspace, "stopped");

        // While the server runs (its controller holds the lease, the database is open in WAL mode).
        var archive = Path.Combine(folder, "school.tar.gz");
        var created = await CliAsync(first.DataDirectory, "create", archive);
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains($"home of workspace {workspace} (1/1)", created.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(archive + ".key"));

        // A new machine: no server, no data directory, nothing of the scope on the engine.
        await ((IAsyncLifetime)first).DisposeAsync();
        hosts.Remove(first);
        await RemoveScopeAsync();
        Assert.Empty(await Engine.ListVolumesAsync(ScopeLabels, CancellationToken.None));

        (int Code, string Out, string Err) restored = default;
        var second = await StartHostAsync(async host => restored = await CliAsync(host.DataDirectory, "restore", archive));
        Assert.True(restored.Code == 0, restored.Err);
        var volume = Assert.Single(await Engine.ListVolumesAsync(ScopeLabels, CancellationToken.None));
        Assert.Equal(workspace.ToString(System.Globalization.CultureInfo.InvariantCulture), volume.Labels["classcloud.io/workspace"]);

        var client = second.NewClient();
        await StatusAsync(client.PostAsJsonAsync("/api/v1/auth/login", new { email = teacher.Email, password = TestAccounts.Password }), HttpStatusCode.OK);
        var read = await Api.OkAsync(client.GetAsync($"/api/v1/posts/{post}"));
        Assert.Contains("Exam in room 301", read.ToString(), StringComparison.Ordinal);
        Assert.Equal("week 1: shells", await client.GetStringAsync($"/api/v1/attachments/{attachment}"));
        await StatusAsync(client.PostAsync($"/api/v1/workspaces/{workspace}/start", null), HttpStatusCode.Accepted);
        await StateAsync(client, workspace, "running");
        Assert.Equal("written before the backup\n", await ShAsync(workload, "cat ~/notes.txt"));
    }

    Dictionary<string, string> ScopeLabels => new() { ["classcloud.io/controller"] = scope };

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    static async Task StatusAsync(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls the workspace through the API until it reaches the state; an error state fails at once with its reason.</summary>
    static async Task StateAsync(HttpClient client, long id, string state)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            var dto = await Api.OkAsync(client.GetAsync($"/api/v1/workspaces/{id}"));
            last = dto.GetProperty("state").GetString()!;
            if (last == state)
            {
                return;
            }
            Assert.False(last == "error", $"Workspace {id} failed: {dto}");
            await Task.Delay(200);
        }
        Assert.Fail($"Workspace {id} not {state} within 120 s; last {last}");
    }

    async Task RemoveScopeAsync()
    {
        foreach (var workload in await Engine.ListAsync(ScopeLabels, CancellationToken.None))
        {
            await Engine.RemoveAsync(workload.Id, CancellationToken.None);
        }
        foreach (var volume in await Engine.ListVolumesAsync(ScopeLabels, CancellationToken.None))
        {
            await Engine.RemoveVolumeAsync(volume.Name, CancellationToken.None);
        }
        foreach (var network in await Engine.ListTenantNetworksAsync(CancellationToken.None))
        {
            if (network.Tenant.StartsWith(scope, StringComparison.Ordinal))
            {
                await Engine.RemoveTenantNetworkAsync(network.Tenant, CancellationToken.None);
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await ((IAsyncLifetime)host).DisposeAsync();
        }
        await RemoveScopeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
