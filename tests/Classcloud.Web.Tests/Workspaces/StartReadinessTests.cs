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
public sealed class StartReadinessTests(EngineFixture engine) : EngineHostTests(engine, "r")
{
    readonly PendingPodPlatform pending = PendingPodPlatform.Wrap(engine.Platform);

    protected override string TerminalImage => "classcloud-test/ready:1";

    protected override string? OwnImageDockerfile => $$"""
        FROM {{EngineFixture.BaseImage}}
        CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
        """;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:Workspaces:Capacity:Enabled"] = "false",
        ["Classcloud:Workspaces:MemoryBytes"] = (128L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task A_workspace_whose_pod_is_still_pending_stays_starting_and_is_running_once_the_engine_says_so()
    {
        var h = Host.Derive(services => services.AddSingleton(pending.Platform));
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
}
