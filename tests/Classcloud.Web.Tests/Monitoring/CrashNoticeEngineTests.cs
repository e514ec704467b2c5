using System.Diagnostics;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Admin.Storage;
using Classcloud.Web.Courses;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>
/// Issue 16 on the real engine: the owner of a workspace whose container was killed is told once in-app, however
/// many state checks pass; the administrators' storage report measures the home volume the engine holds; an
/// administrator's delete removes a snapshot from the registry, the engine and the database.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class CrashNoticeEngineTests(EngineFixture engine) : EngineHostTests(engine, "n")
{


    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The crashed container stays down long enough for the state watcher to see it on a loaded machine.
        ["Classcloud:Controller:BackoffBase"] = "00:00:05",
    };

    [Fact]
    public async Task A_killed_workspace_tells_its_owner_once_and_its_home_volume_is_measured()
    {
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await Host.UserAsync(TestRole.Student);
        var admin = await Host.AdminAsync();
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Crashy", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        var workload = names.Workload(id);
        var written = await Engine.RunAsync(workload, new ExecRequest { Command = ["bash", "-c", "head -c 3000000 /dev/urandom > ~/big.bin"] }, CancellationToken.None);
        Assert.Equal(0, written.ExitCode);

        var report = await (await admin.Client.GetAsync("/api/v1/admin/storage")).OkAsync<StorageDto>();
        Assert.True(report.VolumeSizesKnown);
        var mine = Assert.Single(report.Users, u => u.UserId == owner.Id);
        Assert.Equal(1, mine.Volumes);
        Assert.True(mine.VolumeBytes >= 3_000_000, $"home volume measured as {mine.VolumeBytes} bytes");

        var container = (await Engine.GetAsync(workload, CancellationToken.None))!.Instances[0].InstanceId;
        await ControllerHarness.DockerAsync("kill", container);
        await StateAsync(owner, id, "restarting", seconds: 30);
        var notice = await CrashNoticeAsync(owner);
        Assert.Equal("Your workspace Crashy crashed; it is being restarted.", notice.Text);
        Assert.Equal("/workspaces", notice.Link);

        await StateAsync(owner, id, "running", seconds: 60);
        await ControllerHarness.PassesAsync(WatcherPasses(Host), 3, "state watcher checks");
        Assert.Single(await CrashNoticesAsync(owner)); // one crash, one notice: not one per check

        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped", seconds: 30);
        await WorkspaceEngineTests.Accepted(owner.Client.DeleteAsync($"/api/v1/workspaces/{id}"));
        await GoneAsync(owner, id);
    }

    [Fact]
    public async Task An_administrator_deletes_an_unused_snapshot_from_the_registry()
    {
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var registry = Host.Services.GetRequiredService<RegistryClient>();
        var owner = await Host.UserAsync(TestRole.Student);
        var admin = await Host.AdminAsync();
        var snapshot = await WorkspaceRows.SnapshotAsync(Host, await WorkspaceRows.AddAsync(Host, owner.Id));
        var image = $"{names.Registry.Address}/classcloud-test/storage/{Guid.NewGuid():N}:1";
        await Engine.TagImageAsync(WorkspaceEngineTests.Image, image, CancellationToken.None);
        await Engine.PushImageAsync(image, names.Registry.Credentials, null, CancellationToken.None);
        await Host.WithDbAsync(db => db.WorkspaceSnapshots.Where(x => x.Id == snapshot).ExecuteUpdateAsync(x => x.SetProperty(r => r.Image, image)));
        Assert.True(await registry.ExistsAsync(image, CancellationToken.None));

        var listed = await (await admin.Client.GetAsync("/api/v1/admin/images")).OkAsync<ImagesDto>();
        Assert.Null(Assert.Single(listed.Items, i => i.Id == $"snapshot-{snapshot}").InUse);
        await (await admin.Client.DeleteAsync($"/api/v1/admin/images/snapshot-{snapshot}")).StatusAsync(System.Net.HttpStatusCode.NoContent);

        Assert.False(await registry.ExistsAsync(image, CancellationToken.None));
        Assert.Null(await Engine.InspectImageAsync(image, CancellationToken.None)); // the local tag went too
        Assert.Equal(0, await Host.WithDbAsync(db => db.WorkspaceSnapshots.CountAsync(x => x.Id == snapshot)));
        Assert.Equal(1, await Host.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == "image.delete" && a.Target == $"snapshot-{snapshot}")));
        await (await admin.Client.DeleteAsync($"/api/v1/admin/images/snapshot-{snapshot}")).ProblemAsync(System.Net.HttpStatusCode.NotFound);
    }

    /// <summary>Waits for the watcher's notice (saved right after it moved the workspace to restarting).</summary>
    static async Task<NotificationDto> CrashNoticeAsync(TestUser owner)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if ((await CrashNoticesAsync(owner)).FirstOrDefault() is { } found)
            {
                return found;
            }
            await Task.Delay(200);
        }
        Assert.Fail("No crash notice reached the owner within 30 s");
        return null!;
    }

    static async Task<List<NotificationDto>> CrashNoticesAsync(TestUser owner) =>
        [.. (await (await owner.Client.GetAsync("/api/v1/notifications")).OkAsync<NotificationPage>()).Items.Where(n => n.Kind == "workspace-crashed")];
}
