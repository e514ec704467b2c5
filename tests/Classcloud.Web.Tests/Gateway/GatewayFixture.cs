using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Gateway;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>
/// A host with the gateway role and the platform on, a fake <see cref="IGatewayTargets"/> the tests
/// point at workloads they start, two users with personal access tokens (owner and viewer), and a
/// small image with tmux and TigerVNC built FROM the engine tests' base image (removed at the end).
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string Image = "classcloud-test/gateway:1";
    public const string VncPassword = "classcloud";

    readonly SqliteHost root = new();
    readonly string run = Guid.NewGuid().ToString("N")[..8];
    ServiceProvider? services;
    int counter;

    public FakeTargets Targets { get; } = new();

    public IContainerPlatform Platform { get; private set; } = null!;

    public ClasscloudHost Host { get; private set; } = null!;

    public (long Id, string Token) Owner { get; private set; }

    public (long Id, string Token) Viewer { get; private set; }

    public (long Id, string Token) Stranger { get; private set; }

    public IReadOnlyDictionary<string, string> RunLabels => new Dictionary<string, string> { ["classcloud.io/test-run"] = run };

    public async Task InitializeAsync()
    {
        services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "docker" });
        Platform = services.GetRequiredService<IContainerPlatform>();
        await BuildImageAsync();
        root.Configure("Classcloud:Platform:Enabled", "true");
        root.Configure("roles", "web,gateway");
        await root.InitializeAsync();
        Host = root.Derive(s => s.AddSingleton<IGatewayTargets>(Targets));
        Owner = await TokenUserAsync();
        Viewer = await TokenUserAsync();
        Stranger = await TokenUserAsync();
    }

    async Task<(long, string)> TokenUserAsync()
    {
        var user = await Host.UserAsync(TestRole.Student);
        var response = await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "gateway test", expiresInDays = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (user.Id, (await response.Content.ReadFromJsonAsync<CreatedTokenDto>())!.Token);
    }

    async Task BuildImageAsync()
    {
        if (await Platform.InspectImageAsync(Image, CancellationToken.None) is not null)
        {
            return;
        }
        // The obfuscated VNC password file is made by TigerVNC's own tool, so Xvnc and the gateway agree by construction.
        var dockerfile = $"""
            FROM {EngineFixture.BaseImage}
            RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux tigervnc-standalone-server tigervnc-tools \
             && rm -rf /var/lib/apt/lists/* && echo {VncPassword} | tigervncpasswd -f > /etc/vncpasswd && chmod 644 /etc/vncpasswd
            """;
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) };
            await tar.WriteEntryAsync(entry);
        }
        context.Position = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await Platform.BuildImageAsync(context, new ImageBuildRequest { Tag = Image }, null, timeout.Token);
    }

    public WorkloadId NewId(string name) => new($"t-gw-{name}-{run}-{Interlocked.Increment(ref counter)}");

    /// <summary>Starts a workload of the test image and waits until it runs.</summary>
    public async Task<WorkloadStatus> StartAsync(string name, string? tenant, params string[] command)
    {
        var spec = new WorkloadSpec
        {
            Id = NewId(name),
            Image = Image,
            Command = command,
            Labels = RunLabels,
            Tenant = tenant,
            Resources = new WorkloadResources(Cpus: 1, MemoryBytes: 256L * 1024 * 1024, Pids: 128),
            StopGracePeriod = TimeSpan.FromSeconds(1),
        };
        await Platform.EnsureAsync(spec, CancellationToken.None);
        for (var i = 0; i < 100; i++)
        {
            if (await Platform.GetAsync(spec.Id, CancellationToken.None) is { Running: 1 } status)
            {
                return status;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{spec.Id} did not start");
    }

    public async Task<string> TenantAsync()
    {
        var tenant = $"t-gw-{run}";
        await Platform.EnsureTenantNetworkAsync(tenant, allowEgress: false, CancellationToken.None);
        return tenant;
    }

    /// <summary>A WebSocket client of the test host that sends the token as a Bearer header.</summary>
    public WebSocketClient Sockets(string? token, params string[] subprotocols)
    {
        var client = Host.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (token is not null)
            {
                request.Headers.Authorization = $"Bearer {token}";
            }
        };
        foreach (var protocol in subprotocols)
        {
            client.SubProtocols.Add(protocol);
        }
        return client;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(((IAsyncLifetime)this).DisposeAsync());

    async Task IAsyncLifetime.DisposeAsync()
    {
        await ((IAsyncLifetime)root).DisposeAsync();
        foreach (var workload in await Platform.ListAsync(RunLabels, CancellationToken.None))
        {
            await Platform.RemoveAsync(workload.Id, CancellationToken.None);
        }
        try
        {
            await Platform.RemoveTenantNetworkAsync($"t-gw-{run}", CancellationToken.None);
        }
        finally
        {
            await Platform.RemoveImageAsync(Image, force: true, CancellationToken.None);
            await services!.DisposeAsync();
        }
    }
}

/// <summary>Answers the gateway as the test arranged per workspace id; unknown ids are 404.</summary>
public sealed class FakeTargets : IGatewayTargets
{
    readonly ConcurrentDictionary<long, Func<long, Outcome<GatewayTarget>>> rules = new();
    long next = 1000;

    /// <summary>A workspace whose owner controls, whose viewer only watches, and which refuses everyone else.</summary>
    public long Add(WorkloadId workload, long owner, long viewer, string? vncHost = null, int vncPort = 0, string? vncPassword = null)
    {
        var id = Interlocked.Increment(ref next);
        rules[id] = user => user == owner || user == viewer
            ? new GatewayTarget(id, user, user == owner ? "Owner" : "Viewer", user == owner, workload, vncHost, vncPort, vncPassword)
            : Problem.Forbidden("Not your workspace.");
        return id;
    }

    public Task<Outcome<GatewayTarget>> ResolveAsync(long workspaceId, ClaimsPrincipal user, GatewayChannel channel, CancellationToken ct) =>
        Task.FromResult(Resolve(workspaceId, user.UserId()));

    public Task<bool> StillAllowedAsync(long workspaceId, long userId, bool hadControl, CancellationToken ct) =>
        Task.FromResult(Resolve(workspaceId, userId) is { Succeeded: true } now && (!hadControl || now.Value!.CanControl));

    /// <summary>From now on the user is refused (as if removed from the course or the workspace made private).</summary>
    public void Withdraw(long workspaceId, long userId)
    {
        var before = rules[workspaceId];
        rules[workspaceId] = user => user == userId ? Problem.Forbidden("Not any more.") : before(user);
    }

    Outcome<GatewayTarget> Resolve(long workspaceId, long userId) =>
        rules.TryGetValue(workspaceId, out var rule) ? rule(userId) : Problem.NotFound("No such workspace.");
}
