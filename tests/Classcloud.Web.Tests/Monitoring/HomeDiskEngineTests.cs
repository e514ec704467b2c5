using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Courses;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>
/// Issue 16, the home disk limit on the real engine: a file written into a running workspace's home is measured by
/// the engine; at 90 % of the limit the owner is told under the bell (once), above it the workspace is stopped and
/// says why, in the owner's language, and starting it again works (to delete files). The watcher's passes are called
/// directly (its own timer is an hour).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class HomeDiskEngineTests(EngineFixture engine) : EngineHostTests(engine, "h")
{
    const long MiB = 1024 * 1024;
    const string Image = "classcloud-test/home-disk:1";


    protected override string TerminalImage => Image;

    protected override string? OwnImageDockerfile => """
        FROM classcloud-test/base:1
        CMD ["bash", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"]
        """;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Classcloud:Workspaces:MemoryBytes"] = (128 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Classcloud:Workspaces:Capacity:Enabled"] = "false",
        ["Classcloud:Monitoring:HomeDiskInterval"] = "01:00:00",
    };

    [Fact]
    public async Task Near_the_limit_the_owner_is_warned_once_and_over_it_the_workspace_stops_with_the_reason()
    {
        var admin = await Host.AdminAsync();
        var owner = await Host.UserAsync(TestRole.Student);
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Full home", kind = "terminal" })))
            .GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusAsync(HttpStatusCode.Accepted);
        await StateAsync(owner, id, "running");
        await ShAsync(names.Workload(id), "head -c 3145728 /dev/urandom > ~/big.bin && sync");
        var measured = (await Engine.VolumeSizesAsync(CancellationToken.None))[names.Volume(await WorkspaceRows.GetAsync(Host, id))];
        Assert.InRange(measured, 3 * MiB, 4 * MiB);

        // Below 90 %: nothing but the size.
        await SetLimitAsync(admin, measured * 2);
        await CheckAsync();
        Assert.Equal(measured, (await WorkspaceRows.GetAsync(Host, id)).HomeBytes);
        Assert.DoesNotContain(await NewsAsync(owner), n => n.Kind.StartsWith("workspace-disk", StringComparison.Ordinal));

        // At 95 %: warned once, still running, and a second pass does not warn again.
        await SetLimitAsync(admin, (long)(measured / 0.95));
        await CheckAsync();
        await CheckAsync();
        var warnings = (await NewsAsync(owner)).Where(n => n.Kind == "workspace-disk-warning").ToList();
        Assert.Equal("Your workspace Full home has used 90 % of its home disk limit; delete files you do not need.", Assert.Single(warnings).Text);
        Assert.Equal("running", (await Dto(owner, id)).State);

        // Over the limit: stopped, with the reason kept once stopped, and the owner told.
        await SetLimitAsync(admin, 2 * MiB);
        await CheckAsync();
        var stopped = await StateAsync(owner, id, "stopped");
        Assert.Equal(0, (await Engine.GetAsync(names.Workload(id), CancellationToken.None))!.Running);
        Assert.StartsWith("Stopped: its home folder held 3.", stopped.Reason, StringComparison.Ordinal);
        Assert.EndsWith("over the limit of 2.0 MiB. Start it and delete files to go on.", stopped.Reason, StringComparison.Ordinal);
        var korean = await (await owner.Client.SendAsync(Classcloud.Web.Tests.Pages.PageForms.Korean("GET", $"/api/v1/workspaces/{id}"))).OkAsync<WorkspaceDto>();
        Assert.Contains("한도 2.0 MiB", korean.Reason, StringComparison.Ordinal);
        Assert.Contains(await NewsAsync(owner), n => n.Kind == "workspace-disk-full" && n.Text.Contains("Full home", StringComparison.Ordinal));

        // Starting again works (the files are deleted from inside), and the reason is gone with the start.
        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null)).StatusAsync(HttpStatusCode.Accepted);
        Assert.Null((await StateAsync(owner, id, "running")).Reason);
        await ShAsync(names.Workload(id), "rm ~/big.bin && sync");
        await CheckAsync();
        Assert.Null((await WorkspaceRows.GetAsync(Host, id)).HomeWarnedAt);
        Assert.Equal("running", (await Dto(owner, id)).State);

        await (await owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null)).StatusAsync(HttpStatusCode.Accepted);
        await StateAsync(owner, id, "stopped");
        await (await owner.Client.DeleteAsync($"/api/v1/workspaces/{id}")).StatusAsync(HttpStatusCode.Accepted);
        await GoneAsync(owner, id);
    }

    async Task CheckAsync() =>
        Assert.True(await Host.Services.GetServices<IHostedService>().OfType<HomeDiskWatcher>().Single().CheckAsync(CancellationToken.None), "another host holds the lease");

    static async Task SetLimitAsync(TestUser admin, long bytes) =>
        await Api.OkAsync(admin.Client.PutAsJsonAsync("/api/v1/admin/quotas", new QuotaSettingsDto(0, 0, false, bytes)));

    static async Task<IReadOnlyList<NotificationDto>> NewsAsync(TestUser user) =>
        (await (await user.Client.GetAsync("/api/v1/notifications")).OkAsync<NotificationPage>()).Items;

    static async Task<WorkspaceDto> Dto(TestUser user, long id) => await (await user.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>();

    async Task ShAsync(WorkloadId id, string script)
    {
        var result = await Engine.RunAsync(id, new ExecRequest { Command = ["bash", "-c", script] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, $"`{script}` exited {result.ExitCode}: {result.Stderr}");
    }
}
