using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Classcloud.Web.Tests.Workspaces;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Admin;

/// <summary>
/// Issue 16: the per-user CPU and memory quota. Workspaces (each counts its limits, 1 core and 1 GiB by default) and
/// projects desired running add up per owner; a start that would go over is refused with a ProblemDetails naming the
/// quota and what runs, and changes nothing. One test method per quota setting, since the setting is the host's.
/// </summary>
public abstract class ResourceQuotaTests(ClasscloudHost host)
{
    const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task Quotas_are_enforced_on_starts_and_creates_named_in_the_refusal_and_admins_count_unless_exempt()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        try
        {
            // CPU: two running workspaces of 1 core fill a quota of 2; the third start is refused and nothing moves.
            await SetAsync(admin, new QuotaSettingsDto(2, 0, false));
            var first = await WorkspaceRows.AddAsync(host, student.Id, WorkspaceState.Running, name: "quota-first");
            var second = await WorkspaceRows.AddAsync(host, student.Id, WorkspaceState.Suspended, name: "quota-second");
            var third = await WorkspaceRows.AddAsync(host, student.Id, name: "quota-third");
            var refused = await (await student.Client.PostAsync($"/api/v1/workspaces/{third}/start", null)).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("Starting this would go over your CPU quota of 2 cores (2 in use, this needs 1). " +
                "Running now: workspace “quota-first”, workspace “quota-second”. Stop one of them first.", refused.Detail);
            Assert.Equal(WorkspaceState.Stopped, (await WorkspaceRows.GetAsync(host, third)).State);
            var korean = PageForms.Korean("POST", $"/api/v1/workspaces/{third}/start");
            var koreanDetail = (await (await student.Client.SendAsync(korean)).ProblemAsync(HttpStatusCode.Conflict)).Detail;
            Assert.Contains("CPU 할당량 2코어", koreanDetail, StringComparison.Ordinal);
            Assert.Contains("워크스페이스 “quota-first”", koreanDetail, StringComparison.Ordinal);

            // A create that asks to start is refused the same way and makes no workspace; without start it is made stopped.
            var creator = await host.UserAsync(TestRole.Student);
            await WorkspaceRows.AddAsync(host, creator.Id, WorkspaceState.Running);
            await WorkspaceRows.AddAsync(host, creator.Id, WorkspaceState.Starting);
            var create = await creator.Client.PostAsJsonAsync("/api/v1/workspaces", new WorkspaceRequest("quota-new", null, "terminal", null, null, null, null, Start: true));
            Assert.Contains("CPU quota", (await create.ProblemAsync(HttpStatusCode.Conflict)).Detail, StringComparison.Ordinal);
            Assert.Equal(2, await CountAsync(creator.Id));

            // The user sees what counts; a stopped workspace frees its share and the start goes through.
            var use = await (await student.Client.GetAsync("/api/v1/me/quota")).OkAsync<QuotaUseDto>();
            Assert.Equal((2.0, 2 * GiB, 2.0), (use.Cpus, use.MemoryBytes, use.CpuQuota));
            Assert.Equal([first, second], use.Running.Select(r => r.Id));
            await WorkspaceRows.SetStateAsync(host, first, WorkspaceState.Stopped);
            await (await student.Client.PostAsync($"/api/v1/workspaces/{third}/start", null)).StatusAsync(HttpStatusCode.Accepted);

            // Memory: a project desired running counts its instance's limits, and is named.
            var other = await host.UserAsync(TestRole.Student);
            await SetAsync(admin, new QuotaSettingsDto(0, GiB + 512L * 1024 * 1024, false));
            await WorkspaceRows.AddAsync(host, other.Id, WorkspaceState.Running, name: "quota-memory");
            await AddAppAsync(other.Id, 512L * 1024 * 1024);
            var stopped = await WorkspaceRows.AddAsync(host, other.Id);
            var memory = await (await other.Client.PostAsync($"/api/v1/workspaces/{stopped}/start", null)).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal("Starting this would go over your memory quota of 1.5 GiB (1.5 GiB in use, this needs 1.0 GiB). " +
                "Running now: workspace “quota-memory”, project “?”. Stop one of them first.", memory.Detail); // a workload without its project row still counts

            // Administrators count like anyone unless exempted.
            await SetAsync(admin, new QuotaSettingsDto(1, 0, false));
            await WorkspaceRows.AddAsync(host, admin.Id, WorkspaceState.Running);
            var mine = await WorkspaceRows.AddAsync(host, admin.Id);
            await (await admin.Client.PostAsync($"/api/v1/workspaces/{mine}/start", null)).ProblemAsync(HttpStatusCode.Conflict);
            await SetAsync(admin, new QuotaSettingsDto(1, 0, true));
            await (await admin.Client.PostAsync($"/api/v1/workspaces/{mine}/start", null)).StatusAsync(HttpStatusCode.Accepted);
        }
        finally
        {
            await SetAsync(admin, new QuotaSettingsDto(4, 4 * GiB, false));
        }
    }

    [Fact]
    public async Task Quota_settings_are_validated_and_the_older_settings_body_leaves_them_alone()
    {
        var admin = await host.AdminAsync();
        var student = await host.UserAsync(TestRole.Student);
        var defaults = await (await admin.Client.GetAsync("/api/v1/admin/quotas")).OkAsync<QuotaSettingsDto>();
        Assert.Equal(new QuotaSettingsDto(4, 4 * GiB, false, 5 * GiB), defaults);
        foreach (var (bad, expected) in new (object, string)[]
        {
            (new { cpusPerUser = -1, memoryBytesPerUser = GiB }, "The CPU quota must be 0–10000 cores"),
            (new { cpusPerUser = 1, memoryBytesPerUser = -5 }, "The CPU quota must be 0–10000 cores"),
            (new { cpusPerUser = 1 }, "The CPU quota must be 0–10000 cores"),
            (new { cpusPerUser = 1, memoryBytesPerUser = GiB, homeBytesPerWorkspace = -1 }, "The home disk limit must be 0–"),
        })
        {
            var problem = await (await admin.Client.PutAsJsonAsync("/api/v1/admin/quotas", bad)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.StartsWith(expected, problem.Detail, StringComparison.Ordinal);
        }
        await (await student.Client.PutAsJsonAsync("/api/v1/admin/quotas", new { cpusPerUser = 100, memoryBytesPerUser = 0 })).StatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(defaults, await (await admin.Client.GetAsync("/api/v1/admin/quotas")).OkAsync<QuotaSettingsDto>());

        await SetAsync(admin, new QuotaSettingsDto(3, 3 * GiB, false));
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/settings",
            new { allowedEmailDomains = Array.Empty<string>(), maxWorkspacesPerUser = 3, maxCoursesPerEducator = 20, maxCoursesPerStudent = 30 })).StatusAsync(HttpStatusCode.OK);
        Assert.Equal(new QuotaSettingsDto(3, 3 * GiB, false, 5 * GiB), await (await admin.Client.GetAsync("/api/v1/admin/quotas")).OkAsync<QuotaSettingsDto>());

        // The settings page shows and saves them too (memory in MiB).
        var saved = await admin.Client.SubmitAsync("/admin/settings", "/admin/settings", ("Domains", ""), ("MaxWorkspacesPerUser", "3"), ("MaxCoursesPerEducator", "20"),
            ("MaxCoursesPerStudent", "30"), ("CpuQuota", "2.5"), ("MemoryQuotaMiB", "2048"), ("ExemptAdmins", "true"), ("HomeMiB", "1024"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(new QuotaSettingsDto(2.5, 2 * GiB, true, GiB), await (await admin.Client.GetAsync("/api/v1/admin/quotas")).OkAsync<QuotaSettingsDto>());
        Assert.Contains("value=\"2048\"", await admin.Client.HtmlAsync("/admin/settings"), StringComparison.Ordinal);
        await SetAsync(admin, new QuotaSettingsDto(4, 4 * GiB, false, 5 * GiB));
    }

    /// <summary>Sets the CPU and memory quota (and the home limit when given); the answer is the saved settings.</summary>
    static async Task SetAsync(TestUser admin, QuotaSettingsDto quota)
    {
        var saved = await (await admin.Client.PutAsJsonAsync("/api/v1/admin/quotas", quota)).OkAsync<QuotaSettingsDto>();
        Assert.Equal(quota with { HomeBytesPerWorkspace = quota.HomeBytesPerWorkspace ?? saved.HomeBytesPerWorkspace }, saved);
    }

    Task<int> CountAsync(long ownerId) => host.WithDbAsync(db => db.Workspaces.CountAsync(w => w.OwnerId == ownerId));

    Task<int> AddAppAsync(long ownerId, long memory) => host.WithDbAsync(async db =>
    {
        var definition = new WorkloadDefinition { Image = "classcloud-test/none:1", Resources = new Classcloud.Platform.WorkloadResources(0.5, memory) };
        db.Workloads.Add(new Workload
        {
            Id = $"quota-app-{Guid.NewGuid():N}"[..30],
            Kind = "app",
            OwnerId = ownerId,
            SpecJson = definition.ToJson(),
            DesiredState = WorkloadStates.Running,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        });
        return await db.SaveChangesAsync();
    });
}

public sealed class SqliteResourceQuotaTests(SqliteHost host) : ResourceQuotaTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresResourceQuotaTests(PostgresHost host) : ResourceQuotaTests(host), IClassFixture<PostgresHost>;
