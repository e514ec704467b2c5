using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The roles as production runs them: <c>--roles web</c>, <c>--roles gateway</c> and <c>--roles controller</c> as three
/// operating-system processes on one data directory and database, with the real engine. A terminal held open through
/// the gateway process keeps its workspace up while the web process (whose own presence is empty) decides on
/// idleness past the idle time; once the terminal closes, the workspace is stopped.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SeparateProcessesTests(EngineFixture engine) : IAsyncLifetime
{
    const string Image = "classcloud-test/tmux-idle:1";
    static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(8);

    readonly string scope = $"m-{Guid.NewGuid():N}"[..14];
    readonly DirectoryInfo data = Directory.CreateTempSubdirectory("classcloud-processes-");
    readonly List<ProcessHost> processes = [];

    public async Task InitializeAsync()
    {
        if (await engine.Platform.InspectImageAsync(Image, CancellationToken.None) is null)
        {
            var dir = Directory.CreateTempSubdirectory("classcloud-tmux-image-");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"), $"""
                FROM {EngineFixture.BaseImage}
                RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux && rm -rf /var/lib/apt/lists/*
                CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
                """);
            await ControllerHarness.DockerAsync("build", "-q", "-t", Image, dir.FullName);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public Task A_terminal_open_through_the_gateway_process_keeps_its_workspace_up_past_the_idle_time_and_closing_it_lets_it_stop() => WithOutputsAsync(async () =>
    {
        var settings = new Dictionary<string, string>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:01",
            ["Classcloud:Controller:LeaseDuration"] = "00:00:05",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:01",
            ["Classcloud:Workspaces:TerminalImage"] = Image,
            ["Classcloud:Workspaces:MemoryBytes"] = (128L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.500",
            ["Classcloud:Workspaces:IdleSuspendAfter"] = "00:00:00",
            ["Classcloud:Workspaces:IdleStopAfter"] = "00:00:08",
            ["Classcloud:Workspaces:IdleCheckInterval"] = "00:00:00.500",
            ["Classcloud:Workspaces:PresenceHeartbeat"] = "00:00:02",
        };
        // The web process first: it makes the database and the first administrator; the others then join it.
        var web = await StartAsync("web", settings);
        var token = await AdministratorTokenAsync(web);
        var gateway = await StartAsync("gateway", settings);
        await StartAsync("controller", settings);

        using var api = web.Client(token);
        var id = (await (await api.PostAsJsonAsync("/api/v1/workspaces", new { name = "Across processes", kind = "terminal" })).OkAsync<JsonElement>(HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        await StateAsync(api, id, "stopped");
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusCode);
        await StateAsync(api, id, "running", seconds: 120);

        using var terminal = new ClientWebSocket();
        terminal.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await terminal.ConnectAsync(new Uri($"ws://{gateway.Address.Authority}/api/v1/workspaces/{id}/terminal"), CancellationToken.None);
        var connected = DateTime.UtcNow;

        // The web process renews the idle lease on each of its checks: wait for a check made well after the idle time.
        await UntilAsync(async () => await IdleCheckedAtAsync() > connected + StopAfter + TimeSpan.FromSeconds(4), 60, "an idle check past the idle time");
        Assert.Equal("running", await StateOfAsync(api, id));

        await terminal.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await UntilAsync(async () => await StateOfAsync(api, id) is "stopping" or "stopped", 90, "the idle stop after the terminal closed");

        await StateAsync(api, id, "stopped", seconds: 90);
        Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync($"/api/v1/workspaces/{id}")).StatusCode);
    });

    /// <summary>A failure carries what each process printed last.</summary>
    async Task WithOutputsAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception ex)
        {
            var outputs = string.Join("\n", processes.Select((p, i) => $"--- process {i + 1} ({p.Address}) ---\n{p.Output()}"));
            throw new ProcessTestException($"{ex.Message}\n{outputs}", ex);
        }
    }

    sealed class ProcessTestException(string message, Exception inner) : Exception(message, inner);

    async Task<ProcessHost> StartAsync(string roles, IReadOnlyDictionary<string, string> settings)
    {
        var host = await ProcessHost.StartAsync(roles, data.FullName, settings);
        processes.Add(host);
        using var client = host.Client();
        var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal(roles, health.GetProperty("roles").GetString());
        return host;
    }

    async Task<string> AdministratorTokenAsync(ProcessHost web)
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(data.FullName, "initial-admin-password"))).Trim();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = web.Address };
        await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "admin@localhost", password })).OkAsync<JsonElement>();
        var created = await (await client.PostAsJsonAsync("/api/v1/tokens", new { name = "processes test", expiresInDays = 1 })).OkAsync<CreatedTokenDto>(HttpStatusCode.Created);
        return created.Token;
    }

    /// <summary>When the idle watcher last checked (its lease is renewed for three check intervals on each check).</summary>
    async Task<DateTime> IdleCheckedAtAsync()
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(data.FullName, "classcloud.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """SELECT "ExpiresAt" FROM "Leases" WHERE "Name" = 'idle'""";
        return await command.ExecuteScalarAsync() is string at
            ? DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal) - TimeSpan.FromSeconds(1.5)
            : DateTime.MinValue;
    }

    static async Task<string> StateOfAsync(HttpClient api, long id) =>
        (await (await api.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<JsonElement>()).GetProperty("state").GetString()!;

    static Task StateAsync(HttpClient api, long id, string state, int seconds = 60) =>
        UntilAsync(async () => await StateOfAsync(api, id) == state, seconds, $"workspace {id} {state}");

    static Task UntilAsync(Func<Task<bool>> condition, int seconds, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(seconds), what);

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
        await WorkspaceTestKit.RemoveScopeAsync(engine.Platform, scope);
        data.Delete(recursive: true);
    }
}
