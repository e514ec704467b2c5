using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Bench.Accounts;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// A host process with the platform and the gateway on (SQLite), students signed up through the API
/// (the bench's workspace owners; the quota raised by the administrator through the settings API
/// unless the host runs with the defaults), and the workspace API calls the benchmarks make, each as
/// the student who owns the workspace. Its own controller scope, so everything the host makes on the
/// engine can be found (and removed) by that label.
/// </summary>
internal sealed class WorkspaceHost : IAsyncDisposable
{
    static readonly TimeSpan StateLimit = TimeSpan.FromMinutes(3);
    readonly ProviderHost host;
    readonly IReadOnlyList<BenchUser> users;
    readonly Dictionary<long, BenchUser> workspaces = [];

    WorkspaceHost(ProviderHost host, IReadOnlyList<BenchUser> users, string scope)
    {
        this.host = host;
        this.users = users;
        Scope = scope;
        Names = new WorkspaceNames(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"{ControllerOptions.Section}:Scope"] = scope }).Build(),
            Options.Create(new WorkspacesOptions()));
    }

    public string Scope { get; }

    /// <summary>The host's own names (workload ids, tenant networks) for this scope.</summary>
    public WorkspaceNames Names { get; }

    public Uri Address => host.Host.Address;

    /// <summary>The host's database (SQLite in its data directory), for benchmarks that seed or observe rows.</summary>
    public string DatabaseConnectionString => host.DatabaseConnectionString;

    /// <summary>Student <paramref name="student"/> (signed up through the API).</summary>
    public BenchUser User(int student) => users[student];

    /// <summary>The first student's personal access token: the WebSocket connections send it as a bearer token.</summary>
    public string Bearer => BearerOf(0);

    /// <summary>Student <paramref name="student"/>'s personal access token.</summary>
    public string BearerOf(int student) => users[student].Token.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>The client of the student who created workspace <paramref name="id"/>.</summary>
    HttpClient Api(long id)
    {
        lock (workspaces)
        {
            return workspaces.TryGetValue(id, out var owner) ? owner.Token : users[0].Token;
        }
    }

    /// <summary>Starts a host; <paramref name="settings"/> are added to the platform's (e.g. idle times, the warm pool).</summary>
    public static async Task<WorkspaceHost> StartAsync(string scope, BenchOptions options, string hostDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var all = new Dictionary<string, string>(BenchSettings(scope))
        {
            ["Classcloud__Monitoring__Enabled"] = "false",
            // Density starts hundreds; the capacity queue would hold them back (it is measured by its own tests).
            ["Classcloud__Workspaces__Capacity__Enabled"] = "false",
            ["Classcloud__Workspaces__QueueCapacity"] = "2000",
            // Never suspend or stop by idleness unless a benchmark asks for it (resume does).
            ["Classcloud__Workspaces__IdleSuspendAfter"] = "00:00:00",
            ["Classcloud__Workspaces__IdleStopAfter"] = "00:00:00",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return await StartAsync(scope, options, hostDll, all, 1, raiseQuota: true, ct);
    }

    /// <summary>
    /// Starts a host with the workspace settings as shipped (capacity admission, idle times, queue size, quotas) and
    /// <paramref name="students"/> students. Only what a benchmark needs is set: the platform on, the scope, and the
    /// sign-in rate limit, which hundreds of sign-ups from the one address 127.0.0.1 would otherwise hit.
    /// </summary>
    public static Task<WorkspaceHost> StartWithDefaultsAsync(string scope, BenchOptions options, string hostDll, int students, CancellationToken ct) =>
        StartAsync(scope, options, hostDll, BenchSettings(scope), students, raiseQuota: false, ct);

    static Dictionary<string, string> BenchSettings(string scope) => new()
    {
        ["Classcloud__Platform__Enabled"] = "true",
        ["Classcloud__Controller__Scope"] = scope,
        ["Classcloud__Limits__AuthRequestsPerMinute"] = "100000",
    };

    static async Task<WorkspaceHost> StartAsync(string scope, BenchOptions options, string hostDll, Dictionary<string, string> all, int students,
        bool raiseQuota, CancellationToken ct)
    {
        var host = await ProviderHost.StartAsync("sqlite", options, hostDll, all, ct);
        try
        {
            if (raiseQuota)
            {
                using var admin = await ApiStart.SignInAdminAsync(host.Host, ct);
                await RaiseQuotaAsync(admin, ct);
            }
            var users = await BenchUser.PrepareAsync(host.Host, students, ct);
            return new WorkspaceHost(host, users, scope);
        }
        catch
        {
            await host.DisposeAsync();
            await Leftovers.RemoveAsync(scope, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The per-user workspace quota (3 by default) through the administrator's settings API.</summary>
    static async Task RaiseQuotaAsync(HttpClient admin, CancellationToken ct)
    {
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/settings", ct);
        var body = new
        {
            allowedEmailDomains = settings.GetProperty("allowedEmailDomains"),
            maxWorkspacesPerUser = 10_000,
            maxCoursesPerEducator = settings.GetProperty("maxCoursesPerEducator").GetInt32(),
            maxCoursesPerStudent = settings.GetProperty("maxCoursesPerStudent").GetInt32(),
        };
        using var response = await admin.PutAsJsonAsync("/api/v1/admin/settings", body, ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, "raise the workspace quota", ct);
    }

    /// <summary>POST /api/v1/workspaces as the first student; returns the id and the state the answer reports.</summary>
    public Task<(long Id, string State)> CreateAsync(string kind, CancellationToken ct) => CreateAsync(kind, 0, ct);

    /// <summary>POST /api/v1/workspaces as student <paramref name="student"/>; later calls about the workspace go as its owner.</summary>
    public Task<(long Id, string State)> CreateAsync(string kind, int student, CancellationToken ct) =>
        PostWorkspaceAsync(new { name = $"bench {kind} {workspaces.Count + 1}", kind }, student, ct);

    /// <summary>A course workspace (terminal) of student <paramref name="student"/> in course <paramref name="courseId"/>.</summary>
    public Task<(long Id, string State)> CreateInCourseAsync(long courseId, int student, CancellationToken ct) =>
        PostWorkspaceAsync(new { name = $"bench course {student}", kind = "terminal", courseId }, student, ct);

    async Task<(long Id, string State)> PostWorkspaceAsync(object body, int student, CancellationToken ct)
    {
        var owner = users[student];
        using var response = await owner.Token.PostAsJsonAsync("/api/v1/workspaces", body, ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.Created, "create a workspace", ct);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var id = created.GetProperty("id").GetInt64();
        lock (workspaces)
        {
            workspaces[id] = owner;
        }
        return (id, created.GetProperty("state").GetString()!);
    }

    /// <summary>POST …/start, …/stop or DELETE; null when accepted (202), else why not.</summary>
    public async Task<string?> ActAsync(long id, string action, CancellationToken ct)
    {
        var api = Api(id);
        using var response = action == "delete"
            ? await api.DeleteAsync(new Uri($"/api/v1/workspaces/{id}", UriKind.Relative), ct)
            : await api.PostAsync(new Uri($"/api/v1/workspaces/{id}/{action}", UriKind.Relative), null, ct);
        return response.StatusCode == HttpStatusCode.Accepted ? null
            : $"{action} of workspace {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
    }

    /// <summary>The workspace's state, or "gone" when it no longer exists.</summary>
    public async Task<string> StateAsync(long id, CancellationToken ct) => (await GetAsync(id, ct)).State;

    /// <summary>The workspace's state and the reason the host gives for it (e.g. why it is in error).</summary>
    public async Task<(string State, string? Reason)> GetAsync(long id, CancellationToken ct)
    {
        using var response = await Api(id).GetAsync(new Uri($"/api/v1/workspaces/{id}", UriKind.Relative), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return ("gone", null);
        }
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, $"GET workspace {id}", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (body.GetProperty("state").GetString()!, body.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
    }

    /// <summary>Workspaces that went to error where they should not have, with the host's reason: reported in the notes.</summary>
    public List<string> Incidents { get; } = [];

    /// <summary>
    /// Polls GET every <paramref name="poll"/> until the state is one of <paramref name="states"/>; returns it.
    /// Throws on "error" (unless waited for: a workspace being deleted shows it) or after the limit.
    /// Each poll is a real API request, as a browser's would be.
    /// </summary>
    public async Task<string> WaitAsync(long id, string[] states, TimeSpan poll, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (state, reason) = await GetAsync(id, ct);
            if (states.Contains(state))
            {
                return state;
            }
            if (state == "error" && !states.Contains("gone") || clock.Elapsed > StateLimit)
            {
                throw new BenchOperationException($"workspace {id} is {state} ({reason}), waited for {string.Join("/", states)} ({clock.Elapsed.TotalSeconds:0} s)");
            }
            await Task.Delay(poll, ct);
        }
    }

    public Task<string> WaitAsync(long id, string state, CancellationToken ct) => WaitAsync(id, [state], TimeSpan.FromMilliseconds(100), ct);

    /// <summary>
    /// Creates a workspace and waits until it is stopped (created, not started) or running (a warm-pool
    /// claim). A create that ends in error is recorded as an incident and given a start (allowed from
    /// error), so one failed create does not end the part.
    /// </summary>
    public async Task<long> CreateReadyAsync(string kind, CancellationToken ct)
    {
        var (id, _) = await CreateAsync(kind, ct);
        await WaitAsync(id, ["stopped", "running", "error"], TimeSpan.FromMilliseconds(100), ct);
        if (await GetAsync(id, ct) is ("error", var reason))
        {
            lock (Incidents)
            {
                Incidents.Add($"workspace {id} ({kind}) went to error when created: {reason}");
            }
            Check(await ActAsync(id, "start", ct));
            await WaitAsync(id, "running", ct);
        }
        return id;
    }

    /// <summary>Starts a stopped workspace and waits until it runs.</summary>
    public async Task StartRunningAsync(long id, CancellationToken ct)
    {
        if (await StateAsync(id, ct) != "running")
        {
            Check(await ActAsync(id, "start", ct));
            await WaitAsync(id, "running", ct);
        }
    }

    /// <summary>Stops a running (or suspended) workspace and waits until it is stopped.</summary>
    public async Task StopAsync(long id, CancellationToken ct)
    {
        Check(await ActAsync(id, "stop", ct));
        await WaitAsync(id, "stopped", ct);
    }

    static void Check(string? error)
    {
        if (error is not null)
        {
            throw new BenchOperationException(error);
        }
    }

    /// <summary>The WebSocket address of a workspace's terminal or desktop.</summary>
    public Uri Socket(long id, string channel) => new($"ws://{Address.Authority}/api/v1/workspaces/{id}/{channel}");

    /// <summary>Every workspace the bench made, stopped and deleted through the API (a few at a time), then whatever is left by label.</summary>
    async Task DeleteAllAsync(CancellationToken ct)
    {
        long[] all;
        lock (workspaces)
        {
            all = [.. workspaces.Keys];
        }
        ScenarioRounds.Progress($"{Scope}: deleting {all.Length} workspaces through the API");
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = ct }, async (id, c) =>
        {
            try
            {
                var state = await StateAsync(id, c);
                if (state is "running" or "suspended" or "starting")
                {
                    await ActAsync(id, "stop", c);
                }
                if (state != "gone")
                {
                    await WaitAsync(id, ["stopped", "error", "gone"], TimeSpan.FromMilliseconds(250), c);
                    await ActAsync(id, "delete", c);
                    await WaitAsync(id, ["gone"], TimeSpan.FromMilliseconds(250), c);
                }
            }
            catch (Exception ex) when (ex is BenchOperationException or HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"bench: workspace {id} not deleted through the API ({ex.Message}); removed by label below");
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await DeleteAllAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("bench: deleting the workspaces took too long; removed by label below");
        }
        foreach (var user in users)
        {
            user.Dispose();
        }
        await host.DisposeAsync();
        await Leftovers.RemoveAsync(Scope, CancellationToken.None);
    }
}
