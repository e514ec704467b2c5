using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Classcloud.Web.Tests.Workspaces.WorkspaceTestKit;

namespace Classcloud.Web.Tests.Privacy;

/// <summary>
/// Issue 16 on the real engine and registry: the export carries a running workspace's home folder, and
/// deleting the account takes the container, the home volume, the snapshot in the registry and the tenant network.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ErasureEngineTests(EngineFixture engine) : EngineHostTests(engine, "p")
{



    [Fact]
    public async Task Export_has_the_home_folder_and_erasure_removes_container_volume_snapshot_and_network()
    {
        var names = Host.Services.GetRequiredService<WorkspaceNames>();
        var owner = await Host.UserAsync(TestRole.Student);
        var id = (await Api.CreatedAsync(owner.Client.PostAsJsonAsync("/api/v1/workspaces", new { name = "Thesis", kind = "terminal" }))).GetProperty("id").GetInt64();
        await StateAsync(owner, id, "stopped");
        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");
        var workload = names.Workload(id);
        var wrote = await Engine.RunAsync(workload, new ExecRequest { Command = ["bash", "-c", "echo 'chapter one' > ~/thesis.txt"] }, CancellationToken.None);
        Assert.Equal(0, wrote.ExitCode);

        // The export copies the running workspace's home through a read-only helper.
        using (var response = await owner.Client.GetAsync("/api/v1/me/export?homes=true", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
            var home = zip.GetEntry($"homes/{id}.tar");
            Assert.True(home is not null, string.Join(", ", zip.Entries.Select(e => e.FullName)));
            using var tar = new TarReader(home.Open());
            var found = false;
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.Name.EndsWith("thesis.txt", StringComparison.Ordinal))
                {
                    found = true;
                    Assert.Equal("chapter one\n", new StreamReader(entry.DataStream!).ReadToEnd());
                }
            }
            Assert.True(found, "thesis.txt is not in the exported home");
        }

        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/stop", null));
        await StateAsync(owner, id, "stopped");
        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/save", null));
        await StateAsync(owner, id, "stopped", seconds: 180);
        var image = names.Snapshot(owner.Id, id, 1);
        var registry = Host.Services.GetRequiredService<RegistryClient>();
        Assert.True(await registry.ExistsAsync(image, CancellationToken.None));
        await WorkspaceEngineTests.Accepted(owner.Client.PostAsync($"/api/v1/workspaces/{id}/start", null));
        await StateAsync(owner, id, "running");

        // A running workspace does not stand in the way any more: the account goes with everything of it.
        await (await owner.Client.DeleteAsJsonAsync("/api/v1/me", new { password = owner.Password, confirm = true })).StatusAsync(HttpStatusCode.NoContent);
        Assert.Null(await Engine.GetAsync(workload, CancellationToken.None));
        Assert.DoesNotContain(await Engine.ListVolumesAsync(new Dictionary<string, string>(), CancellationToken.None), v => v.Name == names.Volume(id));
        Assert.False(await registry.ExistsAsync(image, CancellationToken.None));
        Assert.DoesNotContain(await Engine.ListTenantNetworksAsync(CancellationToken.None), n => n.Tenant == names.Tenant(owner.Id));
        Assert.False(await Host.WithDbAsync(db => db.Workloads.AnyAsync(w => w.Id == workload.Value)));
        Assert.False(await Host.WithDbAsync(db => db.WorkspaceSnapshots.AnyAsync(s => s.OwnerId == owner.Id)));
    }
}
