using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Issue 5's end-to-end flow on the real engine and registry, through the API (the terminal is an
/// exec here; the gateway's WebSocket has its own tests): create → start → write in home → stop →
/// start → file kept → install a package → save → export → load as another user → package and file
/// there → revoke → load refused → delete → container, volume and unreferenced images gone.
/// The controller runs too, so the test also shows it never undoes what the workspace service did.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WorkspaceEngineTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    /// <summary>The base test image plus a .deb the workspace user can install (dpkg's database and /usr/local are theirs).</summary>
    public const string Image = "classcloud-test/workspace:1";

    const string Dockerfile = """
        FROM classcloud-test/base:1
        RUN mkdir -p /tmp/pkg/DEBIAN /tmp/pkg/usr/local/bin \
         && printf 'Package: cc-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: Classcloud tests <t@example.org>\nDescription: test package\n' > /tmp/pkg/DEBIAN/control \
         && printf '#!/bin/sh\necho hello from a package\n' > /tmp/pkg/usr/local/bin/cc-hello && chmod 755 /tmp/pkg/usr/local/bin/cc-hello \
         && mkdir -p /opt/pkgs && dpkg-deb --root-owner-group --build /tmp/pkg /opt/pkgs/cc-hello.deb && rm -rf /tmp/pkg \
         && chown -R 1000:1000 /var/lib/dpkg /usr/local
        CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
        """;

    readonly SqliteHost host = new();
    readonly string scope = $"w-{Guid.NewGuid():N}"[..14];
    IContainerPlatform Engine => engine.Platform;

    /// <summary>Builds <see cref="Image"/> once per engine.</summary>
    internal static async Task EnsureImageAsync(IContainerPlatform engine)
    {
        if (await engine.InspectImageAsync(Image, CancellationToken.None) is null)
        {
            var dir = Directory.CreateTempSubdirectory("classcloud-ws-image-");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"), Dockerfile);
            await ControllerHarness.DockerAsync("build", "-q", "-t", Image, dir.FullName);
            dir.Delete(recursive: true);
        }
    }

    public async Task InitializeAsync()
    {
        await EnsureImageAsync(Engine);
        ConfigureEngineHost(host, scope, Image, new Dictionary<string, string?>
        {
            // A crashed workspace stays down this long before the reconciler restarts it, so the state
            // watcher sees the outage even on a loaded machine (the test asserts the state it shows).
            ["Classcloud:Controller:BackoffBase"] = "00:00:05",
            ["Classcloud:Workspaces:Capacity:MaxRunning"] = "1",
            ["Classcloud:Workspaces:Capacity:CheckInterval"] = "00:00:00.250",
            ["Classcloud:Workspaces:MemoryBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Create_start_persist_install_save_export_load_revoke_delete()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var loader = await host.UserAsync(TestRole.Student);

        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "My terminal", description = "e2e", kind = "terminal", visibility = "private", guestAccess = "view" }));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("creating", created.GetProperty("state").GetString());
        await StateAsync(owner, id, "stopped");
        var workload = names.Workload(id);
        var status = await Engine.GetAsync(workload, CancellationToken.None);
        Assert.NotNull(status);
        Assert.Equal(0, status.Running); // created, not started: a start is a start
        var row = await ControllerHarness.RowAsync(host, workload.Value);
        Assert.Equal(("workspace", owner.Id, names.Tenant(owner.Id), WorkloadStates.Stopped), (row.Kind, row.OwnerId!.Value, row.Tenant!, row.DesiredState));

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        var again = await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null);
        Assert.Contains("running", (await again.ProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        Assert.Equal("hi\n", await ShAsync(workload, "echo hi"));
        await ShAsync(workload, "echo 'my notes' > ~/notes.txt");

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await ControllerHarness.PassesAsync(host, 3); // it must leave the stopped workspace stopped
        Assert.Equal(0, (await Engine.GetAsync(workload, CancellationToken.None))!.Running);
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        Assert.Equal("my notes\n", await ShAsync(workload, "cat ~/notes.txt"));
        await ShAsync(workload, "dpkg --force-not-root -i /opt/pkgs/cc-hello.deb 2>/dev/null >/dev/null");
        Assert.Equal("hello from a package\n", await ShAsync(workload, "cc-hello"));

        var save = await owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null);
        Assert.Contains("running", (await save.ProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null));
        await StateAsync(owner, id, "stopped", seconds: 180);
        var snapshots = await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}/snapshots")).OkAsync<List<SnapshotDto>>();
        var snapshot = Assert.Single(snapshots);
        Assert.Equal(1, snapshot.Number);
        Assert.True(snapshot.SizeBytes > 0);
        Assert.StartsWith("sha256:", snapshot.Digest, StringComparison.Ordinal);
        var image = names.Snapshot(owner.Id, id, 1);
        Assert.Equal($"127.0.0.1:5000/classcloud/workspace/{owner.Id}/{scope}-{id}:1", image); // ImageNames' scheme, the platform's registry
        Assert.True(await Registry().ExistsAsync(image, CancellationToken.None));

        var exported = await (await owner.Client.PostAsJsonAsync($"/api/v1/workspaces/{id}/export", new { })).OkAsync<ExportedKeyDto>();
        Assert.DoesNotContain("workspace", exported.Key, StringComparison.OrdinalIgnoreCase);
        var loaded = await Api.CreatedAsync(loader.Client.PostAsJsonAsync("/api/v1/workspaces/load",
            new { key = exported.Key, name = "Loaded copy", visibility = "private", guestAccess = "view" }));
        var copyId = loaded.GetProperty("id").GetInt64();
        await StateAsync(loader, copyId, "stopped");
        await Accepted(loader.Client.PostAsync($"/api/v1/workspaces/{copyId}/start", null));
        await StateAsync(loader, copyId, "running");
        var copy = names.Workload(copyId);
        Assert.Equal("hello from a package\n", await ShAsync(copy, "cc-hello"));
        Assert.Equal("my notes\n", await ShAsync(copy, "cat ~/notes.txt"));
        Assert.Equal(names.Tenant(loader.Id), (await ControllerHarness.RowAsync(host, copy.Value)).Tenant);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/workspace-keys/{exported.Id}")).StatusCode);
        var refused = await loader.Client.PostAsJsonAsync("/api/v1/workspaces/load", new { key = exported.Key, name = "Again" });
        Assert.Contains("revoked", (await refused.ProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);

        // The owner deletes: the snapshot stays while the loaded copy is made from it.
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
        Assert.Null(await Engine.GetAsync(workload, CancellationToken.None));
        Assert.DoesNotContain(await Engine.ListVolumesAsync(new Dictionary<string, string>(), CancellationToken.None), v => v.Name == names.Volume(id));
        Assert.True(await Registry().ExistsAsync(image, CancellationToken.None));
        Assert.False(await host.WithDbAsync(db => db.Workloads.AnyAsync(w => w.Id == workload.Value)));

        // The copy goes too: now nothing uses the snapshot, so it leaves the registry and the engine.
        await Accepted(loader.Client.PostAsync($"/api/v1/workspaces/{copyId}/stop", null));
        await StateAsync(loader, copyId, "stopped");
        await Accepted(loader.Client.DeleteAsync($"/api/v1/workspaces/{copyId}"));
        await GoneAsync(loader, copyId);
        Assert.Null(await Engine.GetAsync(copy, CancellationToken.None));
        Assert.DoesNotContain(await Engine.ListVolumesAsync(new Dictionary<string, string>(), CancellationToken.None), v => v.Name == names.Volume(copyId));
        Assert.False(await Registry().ExistsAsync(image, CancellationToken.None));
        Assert.Null(await Engine.InspectImageAsync(image, CancellationToken.None));
        Assert.False(await host.WithDbAsync(db => db.WorkspaceSnapshots.AnyAsync()));
    }

    [Fact]
    public async Task An_idle_workspace_is_suspended_then_stopped_and_the_reconciler_leaves_it_so()
    {
        var presence = new NobodyConnected();
        var idleHost = host.Derive(services => services.AddSingleton<IWorkspacePresence>(presence), new Dictionary<string, string?>
        {
            ["Classcloud:Workspaces:IdleSuspendAfter"] = "00:00:04",
            ["Classcloud:Workspaces:IdleStopAfter"] = "00:00:09",
            ["Classcloud:Workspaces:IdleCheckInterval"] = "00:00:00.250",
            ["Classcloud:Workspaces:PresenceHeartbeat"] = "00:00:01",
        });
        var names = idleHost.Services.GetRequiredService<WorkspaceNames>();
        var owner = await idleHost.UserAsync(TestRole.Student);
        var created = await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Idle", kind = "terminal" }));
        var id = created.GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        await ShAsync(names.Workload(id), "echo kept > ~/idle.txt");

        await StateAsync(owner, id, "suspended", seconds: 30);
        var paused = await Engine.GetAsync(names.Workload(id), CancellationToken.None);
        Assert.Equal(InstanceState.Paused, paused!.Instances[0].State);
        Assert.Contains(presence.Notices, n => n.Id == id && n.Type == "idle");

        await StateAsync(owner, id, "stopped", seconds: 30);
        // Whichever of the two hosts leads (one at a time: the other's count stays put) passes three times.
        var leading = (host.Services.GetRequiredService<ControllerState>(), idleHost.Services.GetRequiredService<ControllerState>());
        await ControllerHarness.PassesAsync(() => leading.Item1.Passes + leading.Item2.Passes, 3, "controller passes"); // it leaves the stopped workspace stopped
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(id), CancellationToken.None))!.Running);
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        Assert.Equal("kept\n", await ShAsync(names.Workload(id), "cat ~/idle.txt"));
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped", seconds: 30);
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
    }

    [Fact]
    public async Task A_killed_container_shows_as_restarting_with_a_reason_then_running_again_after_the_reconciler_restarts_it()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Killed", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        var workload = names.Workload(id);
        var container = (await Engine.GetAsync(workload, CancellationToken.None))!.Instances[0].InstanceId;

        await ControllerHarness.DockerAsync("kill", container);
        var restarting = await StateAsync(owner, id, "restarting", seconds: 30);
        Assert.Equal("The container stopped with exit code 137; it is being restarted.", restarting.Reason);
        Assert.Contains("stop", restarting.Actions); // the owner may rather have it stopped
        var back = await StateAsync(owner, id, "running", seconds: 60);
        Assert.Null(back.Reason);
        Assert.Equal("hi\n", await ShAsync(workload, "echo hi"));

        // Removed from under us (docker rm -f): the reconciler recreates a missing container at once, with no
        // backoff, so the watcher's poll may or may not catch the gap (and show "starting"); what must hold is
        // that a new container runs and the workspace ends up running and usable.
        await ControllerHarness.DockerAsync("rm", "-f", container);
        var replaced = Stopwatch.StartNew();
        while ((await Engine.GetAsync(workload, CancellationToken.None)) is not { Running: 1 } status || status.Instances[0].InstanceId == container)
        {
            Assert.True(replaced.Elapsed < TimeSpan.FromSeconds(60), "The reconciler did not recreate the removed container within 60 s");
            await Task.Delay(200);
        }
        await StateAsync(owner, id, "running", seconds: 60);
        // A watcher pass that read the engine during the gap may still write "restarting"; the next pass undoes it.
        await ControllerHarness.PassesAsync(WatcherPasses(host), 2, "state watcher checks");
        back = await StateAsync(owner, id, "running", seconds: 30);
        Assert.Null(back.Reason);
        Assert.Equal("hi\n", await ShAsync(workload, "echo hi"));

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped", seconds: 30);
        await ControllerHarness.PassesAsync(WatcherPasses(host), 2, "state watcher checks"); // a stopped workspace stays stopped
        Assert.Equal("stopped", (await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>()).State);
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
    }

    [Fact]
    public async Task With_room_for_one_the_second_start_waits_with_position_1_and_runs_when_the_first_stops()
    {
        // The class's host has room for one running workspace (the other tests never run two at once).
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var first = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "First", kind = "terminal" }))).GetProperty("id").GetInt64();
        var second = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Second", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, first, "stopped");
        await StateAsync(owner, second, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{first}/start", null));
        await StateAsync(owner, first, "running");

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{second}/start", null));
        await ControllerHarness.PassesAsync(() => host.Services.GetRequiredService<WorkspaceAdmission>().Counter.Passes, 3, "admission passes");
        var waiting = await (await owner.Client.GetAsync($"/api/v1/workspaces/{second}")).OkAsync<WorkspaceDto>();
        Assert.Equal(("starting", (int?)1), (waiting.State, waiting.QueuePosition));
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(second), CancellationToken.None))!.Running);

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{first}/stop", null));
        await StateAsync(owner, first, "stopped");
        var admitted = await StateAsync(owner, second, "running", seconds: 60);
        Assert.Null(admitted.QueuePosition);
        Assert.Equal("hi\n", await ShAsync(names.Workload(second), "echo hi"));

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{second}/stop", null));
        await StateAsync(owner, second, "stopped");
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{first}"));
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{second}"));
        await GoneAsync(owner, first);
        await GoneAsync(owner, second);
    }

    /// <summary>
    /// Issue 17: create with <c>start</c> runs the workspace without a second request, through the same capacity
    /// queue as a start (room for one here: the second waits at position 1 and runs when the first stops).
    /// </summary>
    [Fact]
    public async Task Create_with_start_runs_it_at_once_and_a_second_one_waits_in_the_capacity_queue()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await host.UserAsync(TestRole.Student);
        var first = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Started", kind = "terminal", start = true })))
            .GetProperty("id").GetInt64();
        await StateAsync(owner, first, "running");
        Assert.Equal("hi\n", await ShAsync(names.Workload(first), "echo hi"));

        var second = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Queued", kind = "terminal", start = true })))
            .GetProperty("id").GetInt64();
        var waiting = await StateAsync(owner, second, "starting");
        Assert.Equal((int?)1, waiting.QueuePosition);
        await ControllerHarness.PassesAsync(() => host.Services.GetRequiredService<WorkspaceAdmission>().Counter.Passes, 3, "admission passes");
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(second), CancellationToken.None))!.Running);

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{first}/stop", null));
        await StateAsync(owner, first, "stopped");
        await StateAsync(owner, second, "running", seconds: 60);

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{second}/stop", null));
        await StateAsync(owner, second, "stopped");
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{first}"));
        await Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{second}"));
        await GoneAsync(owner, first);
        await GoneAsync(owner, second);
    }

    /// <summary>The gateway's presence as it is when nobody connects: never seen, nobody there; notices recorded.</summary>
    sealed class NobodyConnected : IWorkspacePresence
    {
        public System.Collections.Concurrent.ConcurrentBag<(long Id, string Type)> Notices { get; } = [];

        public IDisposable Join(long workspaceId, PresenceEntry entry) => throw new NotSupportedException();

        public IReadOnlyList<PresenceEntry> Who(long workspaceId) => [];

        public DateTimeOffset? LastSeen(long workspaceId) => null;

        public void Notify(long workspaceId, string type, string message) => Notices.Add((workspaceId, type));
    }

    /// <summary>
    /// Course environment on the engine: an educator saves a workspace and publishes the snapshot; a student
    /// makes a course workspace from it in one click and finds the educator's file; deleting the educator's
    /// workspace keeps the published snapshot; unpublishing then removes it from the registry.
    /// </summary>
    [Fact]
    public async Task A_student_makes_a_workspace_from_a_course_environment_in_one_click()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var educator = await host.UserAsync(TestRole.Educator);
        var student = await host.UserAsync(TestRole.Student);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Env engine", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        var application = await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/applications", null));
        await Api.OkAsync(educator.Client.PostAsync($"/api/v1/courses/{course}/applications/{application.GetProperty("id").GetInt64()}/accept", null));

        var source = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/workspaces",
            new { name = "Lab source", description = "", kind = "terminal", visibility = "private", guestAccess = "view" }))).GetProperty("id").GetInt64();
        await StateAsync(educator, source, "stopped");
        await Accepted(educator.Client.PostAsync($"/api/v1/workspaces/{source}/start", null));
        await StateAsync(educator, source, "running");
        await ShAsync(names.Workload(source), "echo 'starter code' > ~/starter.txt");
        await Accepted(educator.Client.PostAsync($"/api/v1/workspaces/{source}/stop", null));
        await StateAsync(educator, source, "stopped");
        await Accepted(educator.Client.PostAsync($"/api/v1/workspaces/{source}/save", null));
        await StateAsync(educator, source, "stopped", seconds: 180);
        var snapshot = Assert.Single(await (await educator.Client.GetAsync($"/api/v1/workspaces/{source}/snapshots")).OkAsync<List<SnapshotDto>>());
        var environment = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync($"/api/v1/courses/{course}/environments",
            new { name = "C lab", snapshotId = snapshot.Id }))).GetProperty("id").GetInt64();

        var made = (await Api.CreatedAsync(student.Client.PostAsync($"/api/v1/courses/{course}/environments/{environment}/workspaces", null)))
            .GetProperty("id").GetInt64();
        await StateAsync(student, made, "stopped");
        await Accepted(student.Client.PostAsync($"/api/v1/workspaces/{made}/start", null));
        await StateAsync(student, made, "running");
        Assert.Equal("starter code\n", await ShAsync(names.Workload(made), "cat ~/starter.txt"));
        Assert.Equal((long?)course, (await WorkspaceRows.GetAsync(host, made)).CourseId);

        var image = names.Snapshot(educator.Id, source, 1);
        await Accepted(student.Client.PostAsync($"/api/v1/workspaces/{made}/stop", null));
        await StateAsync(student, made, "stopped");
        await Accepted(student.Client.DeleteAsync($"/api/v1/workspaces/{made}"));
        await GoneAsync(student, made);
        await Accepted(educator.Client.DeleteAsync($"/api/v1/workspaces/{source}"));
        await GoneAsync(educator, source);
        Assert.True(await Registry().ExistsAsync(image, CancellationToken.None)); // still published
        Assert.Equal(HttpStatusCode.NoContent, (await educator.Client.DeleteAsync($"/api/v1/courses/{course}/environments/{environment}")).StatusCode);
        Assert.False(await Registry().ExistsAsync(image, CancellationToken.None));
    }

    RegistryClient Registry() => host.Services.GetRequiredService<RegistryClient>();

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    internal static async Task Accepted(Task<HttpResponseMessage> call) => await (await call).StatusAsync(HttpStatusCode.Accepted);

    public void Dispose() => host.Dispose();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(Engine, scope);
    }
}
