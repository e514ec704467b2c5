using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Tests.Courses;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Classcloud.Web.Workspaces.Sizes;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Issue 17's sizes: GET /api/v1/workspace-sizes lists what the caller may pick (the built-in small and standard,
/// or the administrator's, some for educators only); a create takes <c>size</c>, refuses one the caller may not
/// pick, stores it, and the workload asks the engine for that size's ceilings.
/// </summary>
public abstract class WorkspaceSizesTests(ClasscloudHost host)
{
    [Fact]
    public async Task Without_configured_sizes_everyone_picks_small_or_standard_and_standard_is_the_default()
    {
        var student = await host.UserAsync(TestRole.Student);
        var sizes = await (await student.Client.GetAsync("/api/v1/workspace-sizes")).OkAsync<List<WorkspaceSizeDto>>();
        Assert.Equal(new[] { "small", "standard" }, sizes.Select(s => s.Name));
        Assert.True(sizes.Single(s => s.Name == "standard").IsDefault);
        Assert.True(sizes[0].MemoryBytes < sizes[1].MemoryBytes && sizes[0].Cpus < sizes[1].Cpus);
    }

    [Fact]
    public async Task A_create_takes_a_size_the_caller_may_pick_and_the_workload_gets_its_ceilings()
    {
        var sized = host.Derive(configuration: new Dictionary<string, string?>
        {
            ["Classcloud:Workspaces:Sizes:0:Name"] = "standard",
            ["Classcloud:Workspaces:Sizes:0:Cpus"] = "1",
            ["Classcloud:Workspaces:Sizes:0:MemoryBytes"] = (1024L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Classcloud:Workspaces:Sizes:1:Name"] = "large",
            ["Classcloud:Workspaces:Sizes:1:Cpus"] = "2",
            ["Classcloud:Workspaces:Sizes:1:MemoryBytes"] = (2048L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Classcloud:Workspaces:Sizes:1:Roles:0"] = "educator",
        });
        var student = await sized.UserAsync(TestRole.Student);
        var educator = await sized.UserAsync(TestRole.Educator);
        Assert.Equal(new[] { "standard" }, (await (await student.Client.GetAsync("/api/v1/workspace-sizes")).OkAsync<List<WorkspaceSizeDto>>()).Select(s => s.Name));
        Assert.Equal(new[] { "standard", "large" }, (await (await educator.Client.GetAsync("/api/v1/workspace-sizes")).OkAsync<List<WorkspaceSizeDto>>()).Select(s => s.Name));

        // A student asking for the educators' size is told which sizes they have.
        var refused = await student.Client.PostAsJsonAsync("/api/v1/workspaces", Request("large"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("standard", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var id = (await Api.CreatedAsync(educator.Client.PostAsJsonAsync("/api/v1/workspaces", Request("large")))).GetProperty("id").GetInt64();
        var row = await WorkspaceRows.GetAsync(sized, id);
        Assert.Equal("large", row.Size);
        var engine = sized.Services.CreateScope().ServiceProvider.GetRequiredService<WorkspaceEngine>();
        var resources = engine.Definition(row.Kind, row.Image, "v", row.VncPasswordProtected, row.Id, row.Size).Resources;
        Assert.Equal((2.0, 2048L * 1024 * 1024), (resources.Cpus, resources.MemoryBytes));
        // No size: the default (standard), stored by name.
        var plain = (await Api.CreatedAsync(student.Client.PostAsJsonAsync("/api/v1/workspaces", Request(null)))).GetProperty("id").GetInt64();
        Assert.Equal("standard", (await WorkspaceRows.GetAsync(sized, plain)).Size);

        // The create page offers the same sizes.
        var page = await educator.Client.GetStringAsync("/workspaces/new");
        Assert.Contains("data-testid=\"ws-size\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"large\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"large\"", await student.Client.GetStringAsync("/workspaces/new"), StringComparison.Ordinal);
    }

    static object Request(string? size) => new { name = "sized", description = "", kind = "terminal", visibility = "private", guestAccess = "view", size };
}

public sealed class SqliteWorkspaceSizesTests(SqliteHost host) : WorkspaceSizesTests(host), IClassFixture<SqliteHost>;
