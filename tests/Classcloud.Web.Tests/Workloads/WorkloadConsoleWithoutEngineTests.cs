using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Pages;
using Classcloud.Web.Workloads;
using static Classcloud.Web.Tests.Workloads.WorkloadConsoleHarness;

namespace Classcloud.Web.Tests.Workloads;

/// <summary>The console on a host without the platform, or with an engine that does not answer, and its pages.</summary>
public abstract class WorkloadConsoleWithoutEngineTests(ClasscloudHost host)
{
    static string NewId() => $"w-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Without_the_platform_reads_work_and_changes_answer_503_and_change_nothing()
    {
        var admin = await host.AdminAsync();
        var id = NewId();
        await AddAsync(host, id, Sleep);

        var detail = await DetailAsync(admin.Client, id);
        Assert.Equal("The container platform is not enabled on this server.", detail.EngineError);
        Assert.Null(detail.Instances);
        Assert.Equal(("classcloud-test/base:1", 1, WorkloadStates.Running), (detail.Image, detail.Replicas, detail.DesiredState));

        foreach (var call in new Func<Task<HttpResponseMessage>>[]
        {
            () => admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/stop", null),
            () => admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/restart", null),
            () => admin.Client.PutAsJsonAsync($"/api/v1/admin/workloads/{id}/replicas", new { replicas = 3 }),
            () => admin.Client.DeleteAsync($"/api/v1/admin/workloads/{id}"),
            () => admin.Client.GetAsync($"/api/v1/admin/workloads/{id}/logs"),
        })
        {
            var problem = await (await call()).ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("The container platform is not enabled on this server.", problem.Detail);
        }
        var row = (await RowOrNullAsync(host, id))!;
        Assert.Equal((WorkloadStates.Running, 1), (row.DesiredState, WorkloadDefinition.FromJson(row.SpecJson).Replicas));
        Assert.Empty(await AuditAsync(host, id));
    }

    [Fact]
    public async Task With_the_engine_unreachable_changes_answer_503_with_the_reason()
    {
        var down = host.Derive(configuration: new Dictionary<string, string?>
        {
            ["roles"] = "web",
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Platform:Docker:Endpoint"] = "unix:///tmp/classcloud-no-engine.sock",
        });
        var admin = await down.AdminAsync();
        var id = NewId();
        await AddAsync(down, id, Sleep);

        var problem = await (await admin.Client.PostAsync($"/api/v1/admin/workloads/{id}/stop", null)).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("The container engine cannot be reached: ", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(WorkloadStates.Running, (await RowOrNullAsync(down, id))!.DesiredState);
        var detail = await DetailAsync(admin.Client, id);
        Assert.StartsWith("The container engine cannot be reached: ", detail.EngineError, StringComparison.Ordinal);
        var list = await admin.Client.GetFromJsonAsync<Classcloud.Web.Hosting.Paged<WorkloadRowDto>>($"/api/v1/admin/workloads?q={id}");
        Assert.Null(Assert.Single(list!.Items).Running); // unknown, not zero
    }

    [Fact]
    public async Task The_pages_are_for_administrators_only()
    {
        var id = NewId();
        await AddAsync(host, id, Sleep, kind: "app");
        foreach (var path in new[] { "/admin/workloads", $"/admin/workloads/{id}" })
        {
            var anonymous = await host.NewClient().GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/signin", anonymous.Headers.Location!.AbsolutePath);
            var student = await host.UserAsync(TestRole.Student);
            var denied = await student.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.Equal("/denied", denied.Headers.Location!.AbsolutePath);
        }
        var admin = await host.AdminAsync();
        var list = await admin.Client.HtmlAsync($"/admin/workloads?q={id}");
        Assert.Contains($"data-testid=\"workload-row-{id}\"", list, StringComparison.Ordinal);
        Assert.Contains("The container platform is not enabled on this server.", list, StringComparison.Ordinal);
        var page = await admin.Client.HtmlAsync($"/admin/workloads/{id}");
        Assert.Contains("classcloud-test/base:1", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"workload-logs\"", page, StringComparison.Ordinal);
        var korean = await admin.Client.SendAsync(PageForms.Korean("GET", "/admin/workloads"));
        Assert.Equal(HttpStatusCode.OK, korean.StatusCode);
        Assert.Contains("워크로드", await korean.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The charts' captions come from the page, through the localizer (charts.js reads them from data attributes).
        var koreanDetail = await (await admin.Client.SendAsync(PageForms.Korean("GET", $"/admin/workloads/{id}"))).Content.ReadAsStringAsync();
        Assert.Contains("data-label-rx=\"↓ 수신\" data-label-tx=\"↑ 송신\"", koreanDetail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/admin/workloads/no-such-workload")).StatusCode);
    }
}

public sealed class SqliteWorkloadConsoleWithoutEngineTests(SqliteHost host) : WorkloadConsoleWithoutEngineTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresWorkloadConsoleWithoutEngineTests(PostgresHost host) : WorkloadConsoleWithoutEngineTests(host), IClassFixture<PostgresHost>;
