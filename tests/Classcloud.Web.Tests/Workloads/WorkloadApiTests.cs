using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Hosting;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workloads;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workloads.WorkloadConsoleHarness;

namespace Classcloud.Web.Tests.Workloads;

/// <summary>The console's API against the real engine, with the controller running in the same host.</summary>
[Collection(EngineCollection.Name)]
public sealed class WorkloadApiTests(EngineFixture engine)
{
    [Fact]
    public async Task The_list_filters_searches_and_pages()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var owner = await host.UserAsync(TestRole.Student);
        var (a, b, c) = (harness.NewId("a"), harness.NewId("b"), harness.NewId("c"));
        await AddAsync(host, a, Sleep, kind: "app", owner: owner.Id);
        await AddAsync(host, b, Sleep, kind: "test", desired: WorkloadStates.Stopped);
        // A tenant without a network: the reconciler records an error for it, which is a state to filter on too.
        await AddAsync(host, c, Sleep, kind: "test", tenant: "no-such-tenant", image: "classcloud-test/missing-image:9");
        await harness.RunningAsync(a);
        await ControllerHarness.EventuallyAsync(async () =>
            await RowOrNullAsync(host, b) is { ObservedState: WorkloadStates.Stopped } r ? r : null, "b observed stopped");

        var all = await admin.Client.GetFromJsonAsync<Paged<WorkloadRowDto>>("/api/v1/admin/workloads?pageSize=2");
        Assert.Equal(3, all!.TotalCount);
        Assert.Equal(new[] { a, b }, all.Items.Select(i => i.Id));
        var second = await admin.Client.GetFromJsonAsync<Paged<WorkloadRowDto>>("/api/v1/admin/workloads?pageSize=2&page=2");
        Assert.Equal(new[] { c }, second!.Items.Select(i => i.Id));

        var first = all.Items[0];
        Assert.Equal(("app", owner.Email, EngineFixture.BaseImage, 1, WorkloadStates.Running, 1), (first.Kind, first.OwnerEmail, first.Image, first.Replicas, first.ObservedState, first.Running));
        Assert.NotNull(first.UptimeSeconds);
        Assert.Null(first.Usage); // no sampler in this host
        Assert.Equal(0, all.Items[1].Running);

        async Task<string[]> Ids(string query) =>
            (await admin.Client.GetFromJsonAsync<Paged<WorkloadRowDto>>("/api/v1/admin/workloads?" + query))!.Items.Select(i => i.Id).ToArray();
        Assert.Equal([b, c], await Ids("kind=test"));
        Assert.Equal([b], await Ids("state=stopped"));
        Assert.Equal([a], await Ids("state=running"));
        Assert.Equal([a], await Ids("owner=" + owner.Id));
        Assert.Equal([a], await Ids("owner=" + Uri.EscapeDataString(owner.Email.ToUpperInvariant())));
        Assert.Equal([c], await Ids("tenant=no-such-tenant"));
        Assert.Equal([a], await Ids("q=" + Uri.EscapeDataString(owner.Email[..8])));
        Assert.Equal([c], await Ids("q=MISSING-IMAGE"));            // the image, in any letter case
        Assert.Equal([b], await Ids("q=" + b[^6..]));                 // the id
        Assert.Empty(await Ids("q=infinity"));                        // the command is not searched
        Assert.Equal([a, b, c], await Ids("q=classcloud-test"));

        var student = await host.UserAsync(TestRole.Student);
        await (await student.Client.GetAsync("/api/v1/admin/workloads")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await host.NewClient().GetAsync("/api/v1/admin/workloads")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Stop_start_scale_and_delete_change_the_desired_state_and_the_engine_follows()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var id = harness.NewId("life");
        await AddAsync(host, id, Sleep);
        await harness.RunningAsync(id);

        var detail = await DetailAsync(admin.Client, id);
        var instance = Assert.Single(detail.Instances!);
        Assert.Equal(("running", 0, false), (instance.State, instance.Replica, instance.OomKilled));
        Assert.NotNull(instance.StartedAt);
        Assert.Null(detail.EngineError);

        var stopped = await admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/stop", null).AcceptedAsync();
        Assert.Equal(WorkloadStates.Stopped, stopped.DesiredState);
        await EngineAsync(harness, id, s => s is { Running: 0, Instances.Count: 1 }, "stopped on the engine");
        await ControllerHarness.PassesAsync(host, 5); // the reconciler must not start it again
        Assert.Equal(0, (await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None))!.Running);
        Assert.Equal(WorkloadStates.Stopped, (await RowOrNullAsync(host, id))!.ObservedState);

        Assert.Equal(WorkloadStates.Running, (await admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/start", null).AcceptedAsync()).DesiredState);
        await harness.RunningAsync(id);

        Assert.Equal(2, (await admin.Client.PutAsJsonAsync($"/api/v1/admin/workloads/{id}/replicas", new { replicas = 2 }).AcceptedAsync()).Replicas);
        await EngineAsync(harness, id, s => s is { Running: 2, Instances.Count: 2 }, "two replicas running");
        await admin.Client.PutAsJsonAsync($"/api/v1/admin/workloads/{id}/replicas", new { replicas = 0 }).AcceptedAsync();
        await EngineAsync(harness, id, s => s is null || s.Instances.Count == 0, "no replicas left");

        using (var deleted = await admin.Client.DeleteAsync($"/api/v1/admin/workloads/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.Null(await RowOrNullAsync(host, id));
        Assert.Null(await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None));
        Assert.Equal(
            ["workload.stop:", "workload.start:", "workload.scale:1→2", "workload.scale:2→0", "workload.delete:test"],
            await AuditAsync(host, id));
        await (await admin.Client.GetAsync($"/api/v1/admin/workloads/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Start_wakes_the_reconciler_at_once_instead_of_at_the_next_resync()
    {
        await using var harness = new ControllerHarness(engine);
        // Passes only every 30 s unless something wakes the controller (and engine events do not).
        var host = await harness.StartHostAsync(new Dictionary<string, string?>
        {
            ["Classcloud:Controller:ResyncInterval"] = "00:00:30",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:30",
            ["Classcloud:Controller:LeaseDuration"] = "00:01:00",
        }, services => services.AddSingleton(sp => QuietWatchPlatform.Wrap(sp.GetRequiredKeyedService<IContainerPlatform>(PlatformInfo.DockerDriver))));
        var state = host.Services.GetRequiredService<ControllerState>();
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(state.Passes >= 1 ? state : null), "the first pass");
        // The next resync comes 30 s after that pass at the earliest: running before then can only be the wake's doing.
        var sinceFirstPass = System.Diagnostics.Stopwatch.StartNew();
        var admin = await host.AdminAsync();
        var id = harness.NewId("wake");
        await AddAsync(host, id, Sleep, desired: WorkloadStates.Stopped);
        Assert.Null(await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None)); // no pass has seen it yet

        await admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/start", null).AcceptedAsync();
        await EngineAsync(harness, id, s => s is { Running: 1 }, "running well before the next resync", seconds: 10);
        Assert.True(sinceFirstPass.Elapsed < TimeSpan.FromSeconds(30), $"running only {sinceFirstPass.Elapsed} after the first pass: a resync may have done it");
    }

    [Fact]
    public async Task Delete_removes_every_running_replica_and_the_row()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var id = harness.NewId("del");
        await AddAsync(host, id, Sleep, replicas: 2);
        await harness.RunningAsync(id);

        using var deleted = await admin.Client.DeleteAsync($"/api/v1/admin/workloads/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None));
        Assert.Null(await RowOrNullAsync(host, id));
        await ControllerHarness.PassesAsync(host, 2); // and the reconciler does not bring it back
        Assert.Null(await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None));
    }

    [Fact]
    public async Task Restart_restarts_now_without_counting_a_crash_and_clears_a_crash_loop()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var id = harness.NewId("rst");
        await AddAsync(host, id, Sleep);
        var before = (await harness.RunningAsync(id)).Instances[0];

        var restarted = await admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/restart", null).AcceptedAsync();
        var after = Assert.Single(restarted.Instances!);
        Assert.Equal(before.InstanceId, after.InstanceId);
        Assert.True(after.StartedAt > before.StartedAt, $"{before.StartedAt:O} → {after.StartedAt:O}");
        Assert.Equal("running", after.State);
        await ControllerHarness.PassesAsync(host, 2);
        var row = (await RowOrNullAsync(host, id))!;
        Assert.Equal((0, WorkloadStates.Running), (row.RestartCount, row.ObservedState)); // an administrator's restart is no crash

        var crash = harness.NewId("loop");
        await AddAsync(host, crash, ["false"]);
        await ControllerHarness.EventuallyAsync(async () => await RowOrNullAsync(host, crash) is { CrashLoop: true } r ? r : null, "crash loop");
        var cleared = await admin.Client.PostAsync($"/api/v1/admin/workloads/{crash}/restart", null).AcceptedAsync();
        Assert.False(cleared.CrashLoop);
        Assert.Null(cleared.NextRetryAt);
        Assert.Equal(["workload.restart:"], await AuditAsync(host, crash));
    }

    [Fact]
    public async Task Bad_input_is_refused_and_changes_nothing()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var id = harness.NewId("bad");
        await AddAsync(host, id, Sleep, desired: WorkloadStates.Stopped);
        var url = $"/api/v1/admin/workloads/{id}/replicas";

        foreach (var body in new object[] { new { replicas = -1 }, new { replicas = WorkloadConsoleService.MaxReplicas + 1 }, new { replicas = (int?)null }, new { other = 1 } })
        {
            var problem = await (await admin.Client.PutAsJsonAsync(url, body)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Replicas must be a whole number from 0 to 20.", problem.Detail);
        }
        using (var text = new StringContent("{\"replicas\":\"two\"}", System.Text.Encoding.UTF8, "application/json"))
        {
            await (await admin.Client.PutAsync(url, text)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        using (var huge = new StringContent("{\"replicas\":99999999999}", System.Text.Encoding.UTF8, "application/json"))
        {
            await (await admin.Client.PutAsync(url, huge)).ProblemAsync(HttpStatusCode.BadRequest);
        }
        Assert.Equal(1, WorkloadDefinition.FromJson((await RowOrNullAsync(host, id))!.SpecJson).Replicas);
        Assert.Empty(await AuditAsync(host, id));

        const string unknown = "/api/v1/admin/workloads/no-such-workload";
        await (await admin.Client.GetAsync(unknown)).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var action in new[] { "start", "stop", "restart" })
        {
            await (await admin.Client.PostAsync($"{unknown}/{action}", null)).ProblemAsync(HttpStatusCode.NotFound);
        }
        await (await admin.Client.PutAsJsonAsync($"{unknown}/replicas", new { replicas = 1 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync(unknown)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.GetAsync($"{unknown}/logs")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logs_and_stats_stream_as_server_sent_events()
    {
        await using var harness = new ControllerHarness(engine);
        var host = await harness.StartHostAsync();
        var admin = await host.AdminAsync();
        var id = harness.NewId("logs");
        await AddAsync(host, id, ["sh", "-c", "echo hello-console; echo oops >&2; exec sleep infinity"]);
        await harness.RunningAsync(id);

        var logs = await ControllerHarness.EventuallyAsync(async () =>
        {
            var text = await admin.Client.GetStringAsync($"/api/v1/admin/workloads/{id}/logs?follow=false&tail=50");
            return text.Contains("oops", StringComparison.Ordinal) ? text : null;
        }, "both lines in the log");
        Assert.Contains("\"stream\":\"stdout\"", logs, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"hello-console\"", logs, StringComparison.Ordinal);
        Assert.Contains("\"stream\":\"stderr\"", logs, StringComparison.Ordinal);
        Assert.EndsWith("event: end\ndata: {}\n\n", logs, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/workloads/{id}/stats");
        using var response = await admin.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
        var sample = System.Text.Json.JsonSerializer.Deserialize<StatsSampleDto>(line![6..], Json)!;
        Assert.True(sample.MemoryBytes > 0, line);
        Assert.True(sample.Pids >= 1, line);

        await (await admin.Client.GetAsync($"/api/v1/admin/workloads/{id}/logs?replica=5")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
