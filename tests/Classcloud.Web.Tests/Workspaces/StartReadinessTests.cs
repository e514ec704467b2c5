using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// A start is "running" only once the engine runs the workspace. Found on a real cluster: scaling a Deployment up
/// returns while the pod is still being initialised, the workspace was called running at once, a terminal could not
/// attach ("not running: Pending: PodInitializing"), and the state watcher took the pending pod for a crash. Here the
/// Docker driver's answer for the workspace is held at "pending" as the Kubernetes driver gives it.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StartReadinessTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();
    readonly string scope = $"r-{Guid.NewGuid():N}"[..14];
    readonly PendingPodPlatform pending = PendingPodPlatform.Wrap(engine.Platform);

    const string Image = "classcloud-test/ready:1";

    public async Task InitializeAsync()
    {
        var dir = Directory.CreateTempSubdirectory("classcloud-ready-image-");
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Dockerfile"), $$"""
            FROM {{EngineFixture.BaseImage}}
            CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
            """);
        await Orchestration.ControllerHarness.DockerAsync("build", "-q", "-t", Image, dir.FullName);
        dir.Delete(recursive: true);
        ConfigureEngineHost(host, scope, Image, new Dictionary<string, string?>
        {
            ["Classcloud:Workspaces:Capacity:Enabled"] = "false",
        });
        host.Configure("Classcloud:Workspaces:MemoryBytes", (128L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await host.InitializeAsync();
    }

    [Fact]
    public async Task A_workspace_whose_pod_is_still_pending_stays_starting_and_is_running_once_the_engine_says_so()
    {
        var h = host.Derive(services => services.AddSingleton(pending.Platform));
        var names = h.Services.GetRequiredService<WorkspaceNames>();
        var owner = await h.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Pending pod", kind = "terminal" })))
            .GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        pending.Hold(names.Workload(id));

        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusAsync(HttpStatusCode.Accepted);
        // Looked at three times while pending: the start is waiting for the pod (before the fix nothing asked, and the
        // state watcher's looks found a "running" workspace whose pod is not running).
        await Eventually.UntilAsync(() => pending.Looks >= 3, TimeSpan.FromSeconds(60), "three looks at the pending replica");
        Assert.Equal("starting", (await (await owner.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>()).State);

        pending.Release();
        await StateAsync(owner, id, "running");
        using (var scopeDb = h.Services.CreateScope())
        {
            var db = scopeDb.ServiceProvider.GetRequiredService<ClasscloudDb>();
            Assert.Equal(0, await db.Notifications.CountAsync(n => n.UserId == owner.Id)); // no "your workspace crashed"
        }
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null)).StatusAsync(HttpStatusCode.Accepted);
        await StateAsync(owner, id, "stopped");
    }

    public void Dispose() => host.Dispose();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await RemoveScopeAsync(engine.Platform, scope);
        await engine.Platform.RemoveImageAsync(Image, force: false, CancellationToken.None);
    }
}
