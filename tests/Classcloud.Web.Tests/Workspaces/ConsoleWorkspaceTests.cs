using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Issue 11's defect, on the real engine: an administrator stops running workspaces from the container console.
/// Before one owner per workload, each workspace then showed "starting — the container stopped; it is being
/// restarted" for good, nothing restarted it, and the rows held the capacity budget, so every later start waited
/// in the queue. Now the console's stop is a request the workspace follows: stopped, capacity freed, the next
/// student's start admitted; and a start from the console brings the workspace back to running.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ConsoleWorkspaceTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    const int Budget = 3;

    readonly SqliteHost host = new();
    readonly string scope = $"c-{Guid.NewGuid():N}"[..14];

    public async Task InitializeAsync()
    {
        await WorkspaceEngineTests.EnsureImageAsync(engine.Platform);
        ConfigureEngineHost(host, scope, WorkspaceEngineTests.Image, new Dictionary<string, string?>
        {
            ["Classcloud:Workspaces:Capacity:MaxRunning"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Classcloud:Workspaces:Capacity:CheckInterval"] = "00:00:00.250",
            ["Classcloud:Workspaces:MemoryBytes"] = (128L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Workspaces_stopped_from_the_console_show_stopped_free_their_capacity_and_start_again_from_the_console()
    {
        var names = host.Services.GetRequiredService<WorkspaceNames>();
        var admin = await host.UserAsync(TestRole.Admin);
        var student = await host.UserAsync(TestRole.Student);
        var running = new List<long>();
        for (var i = 0; i < Budget; i++)
        {
            running.Add(await CreateStoppedAsync(student, $"Lab {i}"));
        }
        foreach (var id in running)
        {
            await WorkspaceEngineTests.Accepted(student.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        }
        foreach (var id in running)
        {
            await StateAsync(student, id, "running");
        }

        foreach (var id in running)
        {
            await WorkspaceEngineTests.Accepted(admin.Client.PostAsync($"/api/v1/admin/workloads/{names.Workload(id).Value}/stop", null));
        }
        foreach (var id in running)
        {
            var stopped = await StateAsync(student, id, "stopped", seconds: 60);
            Assert.Equal("Stopped from the container console.", stopped.Reason);
            Assert.Contains("start", stopped.Actions);
            Assert.Equal(0, (await engine.Platform.GetAsync(names.Workload(id), CancellationToken.None))!.Running);
        }

        // The budget is free again: the next student's start is admitted and runs.
        var nextOwner = await host.UserAsync(TestRole.Student);
        var next = await CreateStoppedAsync(nextOwner, "Next student");
        await WorkspaceEngineTests.Accepted(nextOwner.Client.PostAsync($"/api/v1/workspaces/{next}/start", null));
        await StateAsync(nextOwner, next, "running", seconds: 60);

        // A start from the console: the workspace follows its container back to running.
        await WorkspaceEngineTests.Accepted(admin.Client.PostAsync($"/api/v1/admin/workloads/{names.Workload(running[0]).Value}/start", null));
        var back = await StateAsync(student, running[0], "running", seconds: 60);
        Assert.Null(back.Reason);
    }

    static async Task<long> CreateStoppedAsync(TestUser user, string name)
    {
        var id = (await Api.CreatedAsync(user.Client.PostAsJsonAsync("/api/v1/workspaces", new { name, kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(user, id, "stopped");
        return id;
    }

    public void Dispose() => host.Dispose();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await RemoveScopeAsync(engine.Platform, scope);
    }
}
