using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Idle stop on the real engine, with nobody connected in this process and "last seen" written to the
/// workspace row as a gateway's heartbeat would (so minutes of idleness take no time), and the watcher's
/// checks called directly (its own timer is an hour): a course's idle minutes apply to its workspaces and no others, and on a platform
/// without pause (Kubernetes; here a decorator over the Docker driver that says so and refuses to pause)
/// the suspend step stops the workspace instead, with home kept.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class IdleWatcherEngineTests(EngineFixture engine) : EngineHostTests(engine, "i")
{
    const string Image = "classcloud-test/idle:1";

    readonly NobodyConnected presence = new();

    protected override string TerminalImage => Image;

    protected override string? OwnImageDockerfile => """
        FROM classcloud-test/base:1
        CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
        """;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:Workspaces:MemoryBytes"] = (128L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Classcloud:Workspaces:Capacity:Enabled"] = "false",
        // Installation defaults as shipped (15 and 60 min); only the test's own CheckAsync calls look.
        ["Classcloud:Workspaces:IdleCheckInterval"] = "01:00:00",
    };

    [Fact]
    public async Task A_course_idle_override_applies_to_its_linked_workspaces_and_not_to_others()
    {
        var idleHost = Host.Derive(services => services.AddSingleton<IWorkspacePresence>(presence));
        var names = idleHost.Services.GetRequiredService<WorkspaceNames>();
        var educator = await idleHost.UserAsync(TestRole.Educator);
        var course = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/courses", new { name = "Idle course", description = "2026-2" })))
            .GetProperty("id").GetInt64();
        await Api.OkAsync(educator.Client.PutAsJsonAsync($"/api/v1/courses/{course}",
            new { name = "Idle course", description = "2026-2", idleSuspendMinutes = 5, idleStopMinutes = 10 }));
        var linked = await CreateRunningAsync(educator, "Linked", course);
        var plain = await CreateRunningAsync(educator, "Plain", null);
        await ShAsync(names.Workload(linked), "echo kept > ~/idle.txt");

        // Six minutes without anyone: past the course's 5, short of the installation's 15.
        await SeenAgoAsync(idleHost, linked, TimeSpan.FromMinutes(6));
        await SeenAgoAsync(idleHost, plain, TimeSpan.FromMinutes(6));
        await CheckAsync(idleHost);
        await StateAsync(educator, linked, "suspended");
        Assert.Equal(InstanceState.Paused, (await Engine.GetAsync(names.Workload(linked), CancellationToken.None))!.Instances[0].State);
        Assert.Equal("running", await StateOfAsync(educator, plain));
        Assert.Equal(InstanceState.Running, (await Engine.GetAsync(names.Workload(plain), CancellationToken.None))!.Instances[0].State);

        // Eleven minutes: past the course's stop time; the other workspace is still below the installation's suspend time.
        await SeenAgoAsync(idleHost, linked, TimeSpan.FromMinutes(11));
        await SeenAgoAsync(idleHost, plain, TimeSpan.FromMinutes(11));
        await CheckAsync(idleHost);
        await StateAsync(educator, linked, "stopped");
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(linked), CancellationToken.None))!.Running);
        Assert.Equal("running", await StateOfAsync(educator, plain));

        // The installation's own 15 minutes still hold for the unlinked one.
        await SeenAgoAsync(idleHost, plain, TimeSpan.FromMinutes(16));
        await CheckAsync(idleHost);
        await StateAsync(educator, plain, "suspended");

        await Accepted(educator.Client.PostAsync($"/api/v1/workspaces/{linked}/start", null));
        await StateAsync(educator, linked, "running");
        Assert.Equal("kept\n", await ShAsync(names.Workload(linked), "cat ~/idle.txt"));
        await RemoveAsync(educator, linked, plain);
    }

    [Fact]
    public async Task On_a_platform_without_pause_the_suspend_step_stops_the_workspace_and_home_is_kept()
    {
        SchedulingOnlyPlatform? platform = null;
        var idleHost = Host.Derive(services =>
        {
            services.AddSingleton<IWorkspacePresence>(presence);
            services.AddSingleton(sp => platform ??= new SchedulingOnlyPlatform(sp.GetRequiredKeyedService<IContainerPlatform>(PlatformInfo.DockerDriver)));
            services.AddSingleton<IContainerPlatform>(sp => sp.GetRequiredService<SchedulingOnlyPlatform>());
        });
        var names = idleHost.Services.GetRequiredService<WorkspaceNames>();
        Assert.False(idleHost.Services.GetRequiredService<IContainerPlatform>().Features.Pause);
        var owner = await idleHost.UserAsync(TestRole.Student);
        var id = await CreateRunningAsync(owner, "No pause", null);
        await ShAsync(names.Workload(id), "echo kept > ~/idle.txt");

        await SeenAgoAsync(idleHost, id, TimeSpan.FromMinutes(10));
        await CheckAsync(idleHost);
        Assert.Equal("running", await StateOfAsync(owner, id)); // not yet 15 minutes

        await SeenAgoAsync(idleHost, id, TimeSpan.FromMinutes(16));
        await CheckAsync(idleHost);
        await StateAsync(owner, id, "stopped");
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(id), CancellationToken.None))!.Running);
        Assert.Equal(0, platform!.Refused); // neither pause nor unpause (nor an image operation) was asked of it

        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        Assert.Equal("kept\n", await ShAsync(names.Workload(id), "cat ~/idle.txt"));
        Assert.Equal(0, platform.Refused);
        await RemoveAsync(owner, id);
    }

    [Fact]
    public async Task A_workspace_started_again_after_its_owner_was_away_longer_than_the_stop_time_is_not_stopped_at_the_next_check()
    {
        var idleHost = Host.Derive(services => services.AddSingleton<IWorkspacePresence>(presence));
        var owner = await idleHost.UserAsync(TestRole.Student);
        var id = await CreateRunningAsync(owner, "Back after the weekend", null);
        // Last seen two hours ago (past the shipped 60 minutes), stopped since; the owner starts it again now.
        await SeenAgoAsync(idleHost, id, TimeSpan.FromHours(2));
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");

        // The start counts as being seen: the old visit must not make the fresh start idle.
        await CheckAsync(idleHost);
        Assert.Equal("running", await StateOfAsync(owner, id));
        await RemoveAsync(owner, id);
    }

    /// <summary>What a gateway's heartbeat writes: someone was last connected this long ago.</summary>
    static Task<int> SeenAgoAsync(ClasscloudHost h, long id, TimeSpan ago) =>
        h.WithDbAsync(db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, DateTime.UtcNow - ago)));

    static async Task CheckAsync(ClasscloudHost h) =>
        Assert.True(await h.Services.GetServices<IHostedService>().OfType<IdleWatcher>().Single().CheckAsync(CancellationToken.None), "another host holds the idle lease");

    static async Task<long> CreateRunningAsync(TestUser user, string name, long? courseId)
    {
        var id = (await Api.CreatedAsync(user.Client.PostAsJsonAsync("/api/v1/workspaces", new { name, kind = "terminal", courseId })))
            .GetProperty("id").GetInt64();
        await StateAsync(user, id, "stopped");
        await Accepted(user.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(user, id, "running");
        return id;
    }

    static async Task RemoveAsync(TestUser user, params long[] ids)
    {
        foreach (var id in ids)
        {
            await Accepted(user.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
            await StateAsync(user, id, "stopped");
            await Accepted(user.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        }
        foreach (var id in ids)
        {
            var clock = Stopwatch.StartNew();
            while ((await user.Client.GetAsync($"/api/v1/workspaces/{id}")).StatusCode != HttpStatusCode.NotFound)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"Workspace {id} was not deleted");
                await Task.Delay(200);
            }
        }
    }

    async Task<string> ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    static async Task Accepted(Task<HttpResponseMessage> call) => await (await call).StatusAsync(HttpStatusCode.Accepted);

    static async Task<string> StateOfAsync(TestUser user, long id) =>
        (await (await user.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>()).State;

    /// <summary>Nobody is connected to this process: idle time comes from the rows' last-seen times alone.</summary>
    sealed class NobodyConnected : IWorkspacePresence
    {
        public IDisposable Join(long workspaceId, PresenceEntry entry) => throw new NotSupportedException();

        public IReadOnlyList<PresenceEntry> Who(long workspaceId) => [];

        public DateTimeOffset? LastSeen(long workspaceId) => null;

        public void Notify(long workspaceId, string type, string message)
        {
        }
    }
}
