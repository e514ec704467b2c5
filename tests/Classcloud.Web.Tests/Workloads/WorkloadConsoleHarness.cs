using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workloads;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Workloads;

/// <summary>Rows and polling the console tests share (the host and engine come from ControllerHarness).</summary>
internal static class WorkloadConsoleHarness
{
    public static readonly string[] Sleep = ["sleep", "infinity"];

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static Task AddAsync(ClasscloudHost host, string id, IReadOnlyList<string> command, string kind = "test",
        long? owner = null, string? tenant = null, int replicas = 1, string image = EngineFixture.BaseImage,
        string desired = WorkloadStates.Running) =>
        host.WithDbAsync(async db =>
        {
            db.Workloads.Add(new Workload
            {
                Id = id,
                Kind = kind,
                OwnerId = owner,
                Tenant = tenant,
                SpecJson = new WorkloadDefinition { Image = image, Command = command, Replicas = replicas }.ToJson(),
                DesiredState = desired,
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

    public static Task<Workload?> RowOrNullAsync(ClasscloudHost host, string id) =>
        host.WithDbAsync(db => db.Workloads.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id));

    public static Task<List<string>> AuditAsync(ClasscloudHost host, string id) =>
        host.WithDbAsync(db => db.Audit.Where(a => a.Target == id).OrderBy(a => a.Id).Select(a => a.Action + ":" + (a.Detail ?? "")).ToListAsync());

    public static async Task<WorkloadDetailDto> AcceptedAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        Assert.NotNull(response.Headers.Location);
        return System.Text.Json.JsonSerializer.Deserialize<WorkloadDetailDto>(body, Json)!;
    }

    public static Task<WorkloadDetailDto> DetailAsync(HttpClient client, string id) =>
        client.GetFromJsonAsync<WorkloadDetailDto>($"/api/v1/admin/workloads/{id}")!;

    /// <summary>The engine's status once it satisfies the condition (null status counts as "nothing exists").</summary>
    public static Task<EngineView> EngineAsync(ControllerHarness harness, string id, Func<WorkloadStatus?, bool> condition, string what, int seconds = 60) =>
        ControllerHarness.EventuallyAsync(async () =>
        {
            var status = await harness.Engine.GetAsync(new WorkloadId(id), CancellationToken.None);
            return condition(status) ? new EngineView(status) : null;
        }, what, seconds);

    public sealed record EngineView(WorkloadStatus? Status);
}
