using System.Net;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// The capacity queue without the engine (its own host, a budget of one running workspace): starts
/// wait in the order they were asked for, with their position in the API, the order comes from the
/// database, a stop on a waiting start leaves the queue, and freed capacity admits the head.
/// The engine test (WorkspaceEngineTests) shows the second workspace then really runs.
/// </summary>
public sealed class WorkspaceCapacityTests : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();

    public async Task InitializeAsync()
    {
        host.Configure("Classcloud:Workspaces:Capacity:MaxRunning", "1");
        host.Configure("Classcloud:Workspaces:Capacity:CheckInterval", "00:00:00.200");
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Starts_wait_first_come_first_served_with_their_position_and_freed_capacity_admits_the_head()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var running = await WorkspaceRows.AddAsync(host, owner.Id, WorkspaceState.Running);
        var first = await WorkspaceRows.AddAsync(host, owner.Id);
        var second = await WorkspaceRows.AddAsync(host, owner.Id);
        var third = await WorkspaceRows.AddAsync(host, owner.Id);

        // Asked in the order second, first, third: the queue follows the asking, not the ids.
        foreach (var id in new[] { second, first, third })
        {
            await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusAsync(HttpStatusCode.Accepted);
            await Task.Delay(20);
        }
        var admission = host.Services.GetRequiredService<WorkspaceAdmission>();
        await Classcloud.Web.Tests.Orchestration.ControllerHarness.PassesAsync(() => admission.Counter.Passes, 3, "admission passes"); // nothing fits beside the running one
        Assert.Equal(("starting", 2), await PositionAsync(owner, first));
        Assert.Equal(("starting", 1), await PositionAsync(owner, second));
        Assert.Equal(("starting", 3), await PositionAsync(owner, third));
        Assert.Null((await PositionAsync(owner, running)).Position);
        var dto = await (await owner.Client.GetAsync($"/api/v1/workspaces/{first}")).OkAsync<WorkspaceDto>();
        Assert.Contains("stop", dto.Actions); // a waiting start can be called off
        // Issue 17: it says why (the running-count budget is full) and, with no admission yet, that there is no estimate.
        Assert.Equal(("count", (int?)null), (dto.QueueReason, dto.QueueEstimateSeconds));
        var list = await (await owner.Client.SendAsync(Classcloud.Web.Tests.Pages.PageForms.Korean("GET", "/workspaces?handler=List"))).Content.ReadAsStringAsync();
        Assert.Contains("동시에 실행할 수 있는 워크스페이스 수가 가득 찼습니다.", list, StringComparison.Ordinal);
        Assert.Contains("앞에 2개가 기다리고 있습니다.", list, StringComparison.Ordinal); // the third in line

        // The first in line calls it off: stopped at once, the others move up.
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{second}/stop", null)).StatusAsync(HttpStatusCode.Accepted);
        Assert.Equal(("stopped", (int?)null), await PositionAsync(owner, second));
        Assert.Equal(("starting", 1), await PositionAsync(owner, first));
        Assert.Equal(("starting", 2), await PositionAsync(owner, third));

        // The running one stops (here: its row; the engine test stops it for real): the head is admitted,
        // its start job runs (and fails, there is no engine in this host), and the next follows.
        await WorkspaceRows.SetStateAsync(host, running, WorkspaceState.Stopped);
        var admitted = await WaitAsync(async () => (await WorkspaceRows.GetAsync(host, first)).QueuedAt is null);
        Assert.True(admitted, "The head of the queue was not admitted after capacity was freed");
        var failed = await WaitForAsync(first, s => s != WorkspaceState.Starting);
        Assert.Equal(WorkspaceState.Error, failed.State);
        Assert.Contains("not enabled", failed.Reason, StringComparison.Ordinal);
    }

    /// <summary>Issue 17: the administrator's overview shows capacity in use and who waits, in queue order.</summary>
    [Fact]
    public async Task The_admin_overview_shows_capacity_in_use_and_the_queue_in_order()
    {
        var owner = await host.UserAsync(TestRole.Student);
        await WorkspaceRows.AddAsync(host, owner.Id, WorkspaceState.Running);
        var later = await WorkspaceRows.AddAsync(host, owner.Id, name: "Later start");
        var earlier = await WorkspaceRows.AddAsync(host, owner.Id, name: "Earlier start");
        foreach (var id in new[] { earlier, later })
        {
            await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusAsync(HttpStatusCode.Accepted);
            await Task.Delay(20);
        }
        var admission = host.Services.GetRequiredService<WorkspaceAdmission>();
        await Classcloud.Web.Tests.Orchestration.ControllerHarness.PassesAsync(() => admission.Counter.Passes, 3, "admission passes"); // room for one: both wait
        var admin = await host.AdminAsync();

        var overview = await (await admin.Client.GetAsync("/api/v1/admin/overview")).OkAsync<Classcloud.Web.Admin.AdminOverviewDto>();
        Assert.Equal((1, 2, (int?)1, 1), (overview.Capacity.Active, overview.Capacity.Queued, overview.Capacity.Fits, overview.RunningWorkspaces));
        Assert.Equal([(1, earlier, "Earlier start"), (2, later, "Later start")], overview.Queue.Select(q => (q.Position, q.WorkspaceId, q.Name)).ToArray());
        Assert.Equal("count", overview.QueueHold); // what holds the queue: the most running at once
        var html = await (await admin.Client.SendAsync(Classcloud.Web.Tests.Pages.PageForms.Korean("GET", "/admin"))).Content.ReadAsStringAsync();
        Assert.Contains("워크스페이스 1개 중 1개 사용 중", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"overview-queued-{earlier}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"overview-queue-hold\" data-reason=\"count\"", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf($"overview-queued-{earlier}", StringComparison.Ordinal) < html.IndexOf($"overview-queued-{later}", StringComparison.Ordinal));
    }

    async Task<Workspace> WaitForAsync(long id, Func<WorkspaceState, bool> condition)
    {
        Workspace? w = null;
        await WaitAsync(async () => condition((w = await WorkspaceRows.GetAsync(host, id)).State));
        return w!;
    }

    static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    static async Task<(string State, int? Position)> PositionAsync(TestUser user, long id)
    {
        var dto = await (await user.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>();
        return (dto.State, dto.QueuePosition);
    }

    public void Dispose() => host.Dispose();

    public Task DisposeAsync() => ((IAsyncLifetime)host).DisposeAsync();
}
