using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Controller;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// GET /metrics in the Prometheus text exposition format (version 0.0.4), written by hand: host,
/// engine and registry gauges from the sampler's snapshot, per-workload gauges (state, restarts,
/// CPU, memory) and the request metrics. Only loopback callers, or callers with the configured
/// bearer token, may read it.
/// </summary>
public static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    static readonly string[] States = [WorkloadStates.Running, WorkloadStates.Stopped, WorkloadStates.Starting, WorkloadStates.BackingOff,
        WorkloadStates.CrashLoop, WorkloadStates.Error];

    public static async Task<Results<ContentHttpResult, NotFound, StatusCodeHttpResult>> GetAsync(HttpContext context, IOptions<MetricsOptions> options, UsageSnapshot snapshot,
        RequestMetrics requests, IServiceProvider services, CancellationToken ct)
    {
        if (!Allowed(context, options.Value.Token))
        {
            // Without a token nobody but loopback may know it exists; with one, say "not allowed".
            return options.Value.Token is { Length: > 0 } ? TypedResults.StatusCode(StatusCodes.Status403Forbidden) : TypedResults.NotFound();
        }
        var text = new StringBuilder();
        WriteHost(text, snapshot.Host);
        if (services.GetService<UsageSampler>() is not null)
        {
            await WriteWorkloadsAsync(text, services.GetRequiredService<ClasscloudDb>(), snapshot, ct);
        }
        WriteRequests(text, requests);
        return TypedResults.Text(text.ToString(), ContentType, Encoding.UTF8);
    }

    static bool Allowed(HttpContext context, string? token)
    {
        if (context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
        {
            return true;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (token is not { Length: > 0 } || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    static void WriteHost(StringBuilder text, HostReading? host)
    {
        if (host is null)
        {
            return;
        }
        Gauge(text, "classcloud_host_cpu_percent", "Busy share of all CPU cores, 0-100.", host.CpuPercent);
        Gauge(text, "classcloud_host_memory_used_bytes", "Host memory in use (total minus available).", host.MemoryUsedBytes);
        Gauge(text, "classcloud_host_memory_total_bytes", "Host memory.", host.MemoryTotalBytes);
        var disks = new[] { ("data", host.Disk), ("engine", host.EngineDisk) }.Where(d => d.Item2 is not null).ToList();
        Header(text, "classcloud_host_disk_used_bytes", "Bytes used on the filesystem holding a directory.", "gauge");
        foreach (var (role, disk) in disks)
        {
            Sample(text, "classcloud_host_disk_used_bytes", [("role", role), ("path", disk!.Path)], disk.UsedBytes);
        }
        Header(text, "classcloud_host_disk_total_bytes", "Size of the filesystem holding a directory.", "gauge");
        foreach (var (role, disk) in disks)
        {
            Sample(text, "classcloud_host_disk_total_bytes", [("role", role), ("path", disk!.Path)], disk.TotalBytes);
        }
        Gauge(text, "classcloud_engine_up", "Whether the container engine answered the last sample.", host.EngineUp ? 1 : 0);
        if (host.EngineVersion is { } version)
        {
            Header(text, "classcloud_engine_info", "The container engine's version.", "gauge");
            Sample(text, "classcloud_engine_info", [("version", version)], 1);
        }
        if (host.Containers is { } containers)
        {
            Gauge(text, "classcloud_engine_containers_running", "Containers running on the engine (anyone's).", containers);
        }
        Gauge(text, "classcloud_registry_up", "Whether the image registry answered the last sample.", host.RegistryUp ? 1 : 0);
        if (host.Registry is { Up: true } registry)
        {
            Gauge(text, "classcloud_registry_repositories", "Repositories in the registry.", registry.Repositories);
            Gauge(text, "classcloud_registry_tags", "Tags in the registry.", registry.Tags);
            Gauge(text, "classcloud_registry_bytes", "Unique blob bytes in the registry.", registry.Bytes);
        }
        Gauge(text, "classcloud_sample_timestamp_seconds", "When the sampler last looked (Unix time).", host.SampledAt.ToUnixTimeMilliseconds() / 1000.0);
    }

    static async Task WriteWorkloadsAsync(StringBuilder text, ClasscloudDb db, UsageSnapshot snapshot, CancellationToken ct)
    {
        var rows = await db.Workloads.AsNoTracking().OrderBy(w => w.Id).Take(10_000)
            .Select(w => new { w.Id, w.Kind, w.OwnerId, w.ObservedState, w.DesiredState, w.RestartCount }).ToListAsync(ct);
        (string, string)[] Labels(string id, string kind, long? owner) =>
            [("workload", id), ("kind", kind), ("owner", owner?.ToString(CultureInfo.InvariantCulture) ?? "")];
        Header(text, "classcloud_workload_state", "1 for the workload's observed state.", "gauge");
        foreach (var w in rows)
        {
            var state = w.ObservedState ?? "unknown";
            Sample(text, "classcloud_workload_state", [.. Labels(w.Id, w.Kind, w.OwnerId), ("state", States.Contains(state) ? state : "unknown")], 1);
        }
        Header(text, "classcloud_workload_restarts", "Restarts done by the reconciler.", "gauge");
        foreach (var w in rows)
        {
            Sample(text, "classcloud_workload_restarts", Labels(w.Id, w.Kind, w.OwnerId), w.RestartCount);
        }
        var usage = rows.Select(w => (w, u: snapshot.Get(w.Id))).Where(p => p.u is not null).ToList();
        Header(text, "classcloud_workload_cpu_percent", "CPU in percent of one core (200 = two cores busy).", "gauge");
        foreach (var (w, u) in usage)
        {
            Sample(text, "classcloud_workload_cpu_percent", Labels(w.Id, w.Kind, w.OwnerId), u!.CpuPercent);
        }
        Header(text, "classcloud_workload_memory_bytes", "Memory in use (page cache excluded).", "gauge");
        foreach (var (w, u) in usage)
        {
            Sample(text, "classcloud_workload_memory_bytes", Labels(w.Id, w.Kind, w.OwnerId), u!.MemoryBytes);
        }
        Header(text, "classcloud_workload_memory_limit_bytes", "Memory limit.", "gauge");
        foreach (var (w, u) in usage)
        {
            Sample(text, "classcloud_workload_memory_limit_bytes", Labels(w.Id, w.Kind, w.OwnerId), u!.MemoryLimitBytes);
        }
    }

    static void WriteRequests(StringBuilder text, RequestMetrics requests)
    {
        Header(text, "classcloud_http_requests_total", "HTTP requests served, by method, route template and status class.", "counter");
        foreach (var (method, route, status, count) in requests.Counts.OrderBy(c => c.Route, StringComparer.Ordinal).ThenBy(c => c.Method, StringComparer.Ordinal))
        {
            Sample(text, "classcloud_http_requests_total", [("method", method), ("route", route), ("status", status)], count);
        }
        const string name = "classcloud_http_request_duration_seconds";
        Header(text, name, "Time to serve a request.", "histogram");
        foreach (var (method, route, buckets, count, sum) in requests.Durations.OrderBy(d => d.Route, StringComparer.Ordinal))
        {
            for (var i = 0; i < RequestMetrics.Buckets.Length; i++)
            {
                Sample(text, name + "_bucket", [("method", method), ("route", route), ("le", Number(RequestMetrics.Buckets[i]))], buckets[i]);
            }
            Sample(text, name + "_bucket", [("method", method), ("route", route), ("le", "+Inf")], count);
            Sample(text, name + "_sum", [("method", method), ("route", route)], sum);
            Sample(text, name + "_count", [("method", method), ("route", route)], count);
        }
    }

    static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        Sample(text, name, [], value);
    }

    static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    static void Sample(StringBuilder text, string name, (string Key, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")).Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed (the format's only escapes).</summary>
    static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    static string Number(double value) => double.IsPositiveInfinity(value) ? "+Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
