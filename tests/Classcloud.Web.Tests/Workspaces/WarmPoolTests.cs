using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Classcloud.Web.Tests.Workspaces.WorkspaceEngineTests;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The warm pool on the real engine (issue 5 "Fast start (1)"): it fills to size; a create claims a running
/// entry that moves to the owner's tenant network (and off the pool's) and then lives like any other workspace;
/// the pool refills; parallel creates never share an entry; a restarted host adopts the pool; the pool stays
/// within the capacity budget and gives way to a waiting start.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WarmPoolTests(EngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    IContainerPlatform Engine => engine.Platform;

    static Dictionary<string, string?> Settings(int terminal, int desktop = 0) => new()
    {
        ["Classcloud:Workspaces:TerminalImage"] = Image,
        ["Classcloud:Workspaces:DesktopImage"] = Image,
        ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.250",
        ["Classcloud:Workspaces:MemoryBytes"] = (128L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        ["Classcloud:Workspaces:Capacity:CheckInterval"] = "00:00:00.250",
        ["Classcloud:Workspaces:WarmPool:Terminal"] = terminal.ToString(CultureInfo.InvariantCulture),
        ["Classcloud:Workspaces:WarmPool:Desktop"] = desktop.ToString(CultureInfo.InvariantCulture),
        ["Classcloud:Workspaces:WarmPool:CheckInterval"] = "00:00:00.500",
    };

    public Task InitializeAsync() => EnsureImageAsync(Engine);

    [Fact]
    public async Task A_create_takes_a_running_entry_on_the_owners_network_the_pool_refills_and_the_workspace_lives_like_any_other()
    {
        await using var harness = new Harness(engine);
        var host = await harness.Controller.StartHostAsync(Settings(terminal: 1));
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var entry = Assert.Single(await ReadyAsync(host, WarmPool.Key(WorkspaceKind.Terminal), 1));
        var pooled = Assert.Single((await Engine.GetAsync(new WorkloadId(entry.Id), CancellationToken.None))!.Instances);
        Assert.Equal(["none"], await NetworksAsync(pooled.InstanceId)); // waiting on no network: nobody reaches it
        var owner = await host.UserAsync(TestRole.Student);

        var clock = Stopwatch.StartNew();
        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Warm", kind = "terminal" }));
        output.WriteLine($"create from the pool: {clock.ElapsedMilliseconds} ms");
        Assert.Equal("running", created.GetProperty("state").GetString());
        var id = created.GetProperty("id").GetInt64();
        var row = await WorkspaceRows.GetAsync(host, id);
        Assert.Equal((entry.Id, entry.VolumeName), (row.WorkloadId, row.VolumeName));
        var workload = names.Workload(row);
        var status = await Engine.GetAsync(workload, CancellationToken.None);
        Assert.Equal((pooled.InstanceId, 1), (status!.Instances[0].InstanceId, status.Running)); // the same container, still running
        // Answered running at once; the create job moves it to the owner's network right after.
        Assert.Equal([Network(names.Tenant(owner.Id))], await NetworksSoonAsync(pooled.InstanceId, Network(names.Tenant(owner.Id))));
        var workloadRow = await ControllerHarness.RowAsync(host, entry.Id);
        Assert.Equal(("workspace", owner.Id, names.Tenant(owner.Id), WorkloadStates.Running),
            (workloadRow.Kind, workloadRow.OwnerId!.Value, workloadRow.Tenant!, workloadRow.DesiredState));
        Assert.Equal("1000\n", await ShAsync(workload, "stat -c %u ~"));
        await ShAsync(workload, "echo mine > ~/notes.txt");

        // The pool refills with a new entry; the controller leaves the handed-over container as it is.
        var refill = Assert.Single(await ReadyAsync(host, WarmPool.Key(WorkspaceKind.Terminal), 1));
        Assert.NotEqual(entry.Id, refill.Id);
        Assert.Equal(pooled.InstanceId, (await Engine.GetAsync(workload, CancellationToken.None))!.Instances[0].InstanceId);
        Assert.Equal("running", (await StateAsync(owner, id, "running")).State);

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        Assert.Equal("mine\n", await ShAsync(workload, "cat ~/notes.txt"));
        Assert.Equal(pooled.InstanceId, (await Engine.GetAsync(workload, CancellationToken.None))!.Instances[0].InstanceId); // a start, not a create
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null));
        await StateAsync(owner, id, "stopped", seconds: 180);
        var snapshot = Assert.Single(await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/snapshots")).OkAsync<List<SnapshotDto>>());

        // From one of the user's own snapshots: never the pool.
        var copy = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Copy", snapshotId = snapshot.Id }));
        Assert.Equal("creating", copy.GetProperty("state").GetString());
        var copyId = copy.GetProperty("id").GetInt64();
        await StateAsync(owner, copyId, "stopped");
        Assert.Null((await WorkspaceRows.GetAsync(host, copyId)).WorkloadId);
        Assert.Equal(refill.Id, Assert.Single(await EntriesAsync(host)).Id);

        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
        Assert.Null(await Engine.GetAsync(workload, CancellationToken.None));
        Assert.DoesNotContain(await Engine.ListVolumesAsync(new Dictionary<string, string>(), CancellationToken.None), v => v.Name == entry.VolumeName);
        Assert.False(await host.WithDbAsync(db => db.Workloads.AnyAsync(w => w.Id == entry.Id)));
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{copyId}"));
        await GoneAsync(owner, copyId);
    }

    [Fact]
    public async Task Parallel_creates_take_different_entries_a_desktop_takes_over_the_entrys_password_and_a_restarted_host_adopts_the_pool()
    {
        await using var harness = new Harness(engine);
        var first = await harness.Controller.StartHostAsync(Settings(terminal: 2, desktop: 1));
        var terminals = await ReadyAsync(first, WarmPool.Key(WorkspaceKind.Terminal), 2);
        var desktops = await ReadyAsync(first, WarmPool.Key(WorkspaceKind.Desktop), 1);
        var containers = await ContainersAsync([.. terminals, .. desktops]);
        await first.DisposeAsync();

        var host = await harness.Controller.StartHostAsync(Settings(terminal: 2, desktop: 1));
        await ControllerHarness.EventuallyAsync(async () => host.Services.GetService<ControllerState>() is { IsLeader: true, Passes: > 2 } ? "" : null, "the new host leads");
        await ControllerHarness.PassesAsync(Refills(host), 3, "refill passes"); // they adopt the entries instead of making more
        Assert.Equal(containers, await ContainersAsync(await EntriesAsync(host)));
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        Assert.Equal(3, (await Engine.ListAsync(new Dictionary<string, string> { [ControllerLabels.Kind] = WarmPool.WorkloadKind, [ControllerLabels.Scope] = names.Scope },
            CancellationToken.None)).Count);

        var a = await host.UserAsync(TestRole.Student);
        var b = await host.UserAsync(TestRole.Student);
        var made = await Task.WhenAll(
            Api.CreatedAsync(a.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "A", kind = "terminal" })),
            Api.CreatedAsync(b.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "B", kind = "terminal" })));
        Assert.All(made, m => Assert.Equal("running", m.GetProperty("state").GetString()));
        var rows = await Task.WhenAll(made.Select(m => WorkspaceRows.GetAsync(host, m.GetProperty("id").GetInt64())));
        Assert.Equal(terminals.Select(t => t.Id).Order(), rows.Select(r => r.WorkloadId!).Order());
        foreach (var (row, user) in rows.Zip([a, b]))
        {
            var instance = (await Engine.GetAsync(names.Workload(row), CancellationToken.None))!.Instances[0];
            Assert.Equal([Network(names.Tenant(user.Id))], await NetworksSoonAsync(instance.InstanceId, Network(names.Tenant(user.Id))));
        }
        var desktop = await Api.CreatedAsync(a.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "D", kind = "desktop" }));
        Assert.Equal("running", desktop.GetProperty("state").GetString());
        var desktopRow = await WorkspaceRows.GetAsync(host, desktop.GetProperty("id").GetInt64());
        Assert.Equal(desktops[0].Id, desktopRow.WorkloadId);
        var password = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WorkloadDefinition.SecretPurpose).Unprotect(desktopRow.VncPasswordProtected);
        Assert.Equal(password + "\n", await ShAsync(names.Workload(desktopRow), $"printenv {WorkspaceEngine.VncPasswordVariable}"));
    }

    [Fact]
    public async Task The_pool_stays_within_the_capacity_budget_and_gives_way_to_a_waiting_start()
    {
        var settings = Settings(terminal: 3);
        settings["Classcloud:Workspaces:Capacity:MaxRunning"] = "2";
        await using var harness = new Harness(engine);
        var host = await harness.Controller.StartHostAsync(settings);
        await ReadyAsync(host, WarmPool.Key(WorkspaceKind.Terminal), 2);
        await ControllerHarness.PassesAsync(Refills(host), 3, "refill passes");
        Assert.Equal(2, (await EntriesAsync(host)).Count); // at capacity: the refiller waits

        // A workspace made the normal way (a desktop: that pool is off) starts: one entry makes room for it.
        var owner = await host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Cold", kind = "desktop" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running", seconds: 60);
        Assert.Single(await EntriesAsync(host));
        await ControllerHarness.PassesAsync(Refills(host), 3, "refill passes");
        Assert.Single(await EntriesAsync(host)); // and the pool does not take it back
    }

    [Fact]
    public async Task A_workspace_stopped_within_the_settle_time_stays_stopped_when_the_hand_over_finishes()
    {
        var settings = Settings(terminal: 1);
        // Long enough for a stop to finish before the delayed move to the owner's network runs.
        settings["Classcloud:Workspaces:WarmPool:SettleTime"] = "00:00:04";
        await using var harness = new Harness(engine);
        var host = await harness.Controller.StartHostAsync(settings);
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var entry = Assert.Single(await ReadyAsync(host, WarmPool.Key(WorkspaceKind.Terminal), 1));
        var owner = await host.UserAsync(TestRole.Student);
        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Brief", kind = "terminal" }));
        Assert.Equal("running", created.GetProperty("state").GetString());
        var id = created.GetProperty("id").GetInt64();

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        var clock = Stopwatch.StartNew();
        Assert.Contains(await EntriesAsync(host), e => e.Id == entry.Id); // the hand-over is still to come
        await ControllerHarness.EventuallyAsync(async () => (await EntriesAsync(host)).Any(e => e.Id == entry.Id) ? null : "done",
            "the delayed hand-over", seconds: 60);
        output.WriteLine($"hand-over finished {clock.ElapsedMilliseconds} ms after the stop");

        // The move happened, and nothing of it asked the container to run again.
        var workload = names.Workload(await WorkspaceRows.GetAsync(host, id));
        var status = await Engine.GetAsync(workload, CancellationToken.None);
        Assert.Equal(0, status!.Running);
        Assert.Equal([Network(names.Tenant(owner.Id))], await NetworksAsync(status.Instances[0].InstanceId));
        Assert.Equal(WorkloadStates.Stopped, (await ControllerHarness.RowAsync(host, entry.Id)).DesiredState);
        await ControllerHarness.PassesAsync(host, 2); // the controller looked again, and left it stopped
        Assert.Equal("stopped", (await StateAsync(owner, id, "stopped")).State);
        Assert.Equal(0, (await Engine.GetAsync(workload, CancellationToken.None))!.Running);

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
    }

    static string Network(string tenant) => $"classcloud-{tenant}";

    static Task<List<WarmPoolEntry>> EntriesAsync(ClasscloudHost host) =>
        host.WithDbAsync(db => db.WarmPoolEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    static Task<List<WarmPoolEntry>> ReadyAsync(ClasscloudHost host, string pool, int count) =>
        ControllerHarness.EventuallyAsync(async () =>
        {
            var ready = (await EntriesAsync(host)).Where(e => e.Pool == pool && e.Ready && e.WorkspaceId == null).ToList();
            return ready.Count == count ? ready : null;
        }, $"{count} ready entries in pool {pool}", seconds: 90);

    async Task<List<string>> ContainersAsync(IEnumerable<WarmPoolEntry> entries)
    {
        var ids = new List<string>();
        foreach (var e in entries.OrderBy(e => e.Id))
        {
            ids.Add((await Engine.GetAsync(new WorkloadId(e.Id), CancellationToken.None))!.Instances[0].InstanceId);
        }
        return ids;
    }

    /// <summary>The container's networks once they are exactly <paramref name="expected"/> (or after 15 s, whatever they are).</summary>
    static async Task<List<string>> NetworksSoonAsync(string container, string expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var networks = await NetworksAsync(container);
            if (networks is [var only] && only == expected || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                return networks;
            }
            await Task.Delay(100);
        }
    }

    static async Task<List<string>> NetworksAsync(string container) =>
        [.. (await ControllerHarness.DockerAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", container))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Order()];

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The controller harness, plus the volumes and tenant networks of its scope removed at the end.</summary>
    sealed class Harness(EngineFixture engine) : IAsyncDisposable
    {
        public ControllerHarness Controller { get; } = new(engine);

        public async ValueTask DisposeAsync()
        {
            await Controller.DisposeAsync();
            await RemoveScopeAsync(engine.Platform, Controller.Scope);
        }
    }

    static Func<long> Refills(ClasscloudHost host)
    {
        var refiller = host.Services.GetRequiredService<WarmPoolRefiller>();
        return () => refiller.Counter.Passes;
    }
}
