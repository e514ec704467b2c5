using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>The administrators' monitoring API: the host panel's data and the alert list.</summary>
public static class MonitoringEndpoints
{
    /// <summary>Chart points per series in one answer.</summary>
    public const int MaxPoints = 300;

    public sealed record HostDto(HostCurrentDto? Current, IReadOnlyList<HostPointDto> History, IReadOnlyList<RegistryPointDto> Registry);

    public sealed record HostCurrentDto(
        DateTimeOffset SampledAt, double CpuPercent, long MemoryUsedBytes, long MemoryTotalBytes, DiskUse Disk, DiskUse? EngineDisk,
        bool EngineUp, string? EngineVersion, int? Containers, string? EngineError, bool RegistryUp, string? RegistryError,
        int? RegistryRepositories, int? RegistryTags, long? RegistryBytes, DateTime? RegistryCountedAt);

    public sealed record HostPointDto(DateTime At, double Cpu, long MemoryUsed, long MemoryTotal, long DiskUsed, long DiskTotal, int? Containers, bool EngineUp);

    public sealed record RegistryPointDto(DateTime At, bool Up, int Repositories, int Tags, long Bytes);

    public static void MapMonitoringApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapGet("/host", GetHostAsync);
        api.MapGet("/alerts", ListAlertsAsync);
        api.MapPost("/alerts/{id:long}/acknowledge", AcknowledgeAsync);
    }

    /// <summary>The latest reading (null where this host does not sample) and up to <see cref="MaxPoints"/> points of history.</summary>
    public static async Task<Ok<HostDto>> GetHostAsync(int? hours, ClasscloudDb db, UsageSnapshot snapshot, TimeProvider time, CancellationToken ct)
    {
        var from = time.GetUtcNow().UtcDateTime.AddHours(-Math.Clamp(hours ?? 24, 1, 24 * 7));
        var history = await HistoryStore.RecentAsync(db.HostSamples, from, MaxPoints, ct);
        var registry = await HistoryStore.RecentAsync(db.RegistrySamples, from, MaxPoints, ct);
        return TypedResults.Ok(new HostDto(Current(snapshot.Host),
            history.Select(h => new HostPointDto(h.SampledAt, h.CpuPercent, h.MemoryUsedBytes, h.MemoryTotalBytes, h.DiskUsedBytes, h.DiskTotalBytes, h.Containers, h.EngineUp)).ToList(),
            registry.Select(r => new RegistryPointDto(r.SampledAt, r.Up, r.Repositories, r.Tags, r.Bytes)).ToList()));
    }

    static HostCurrentDto? Current(HostReading? h) => h is null ? null : new HostCurrentDto(
        h.SampledAt, h.CpuPercent, h.MemoryUsedBytes, h.MemoryTotalBytes, h.Disk, h.EngineDisk, h.EngineUp, h.EngineVersion, h.Containers,
        h.EngineError, h.RegistryUp, h.RegistryError, h.Registry is { Up: true } r ? r.Repositories : null, h.Registry is { Up: true } t ? t.Tags : null,
        h.Registry is { Up: true } b ? b.Bytes : null, h.Registry?.SampledAt);

    static async Task<Results<Ok<Paged<AlertDto>>, ProblemHttpResult>> ListAlertsAsync(
        string? status, int? page, int? pageSize, AlertService alerts, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var outcome = await alerts.ListAsync(status, page, pageSize, limits.Value.MaxPageSize, ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> AcknowledgeAsync(long id, AlertService alerts, ClaimsPrincipal me, CancellationToken ct)
    {
        var outcome = await alerts.AcknowledgeAsync(id, me.UserId(), ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
    }
}
