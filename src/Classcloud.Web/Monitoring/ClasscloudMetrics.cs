using System.Diagnostics;
using System.Diagnostics.Metrics;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// Classcloud's own instruments, exported by OpenTelemetry's Prometheus exporter at /metrics: the
/// request counter and duration histogram (by method, route template and status class) and
/// observable gauges read from the sampler's snapshot and the workload table at scrape time.
/// Names are the Prometheus names Classcloud has always exposed (docs/platform.md, "Monitoring");
/// the exporter adds <c>_total</c> to the counter and <c>_seconds</c> to the histogram from its unit.
/// </summary>
public sealed class ClasscloudMetrics : IDisposable
{
    public const string DefaultMeterName = "Classcloud";

    /// <summary>Upper bounds (seconds) of the duration histogram's buckets.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    static readonly string[] States = [WorkloadStates.Running, WorkloadStates.Stopped, WorkloadStates.Starting, WorkloadStates.BackingOff,
        WorkloadStates.CrashLoop, WorkloadStates.Error];

    readonly Meter meter;
    readonly Counter<long> requests;
    readonly Histogram<double> durations;
    readonly UsageSnapshot snapshot;
    readonly WorkloadRows workloads;

    public ClasscloudMetrics(string meterName, UsageSnapshot snapshot, IServiceProvider services)
    {
        meter = new Meter(meterName);
        this.snapshot = snapshot;
        workloads = new WorkloadRows(services);
        requests = meter.CreateCounter<long>("classcloud_http_requests", null, "HTTP requests served, by method, route template and status class.");
        durations = meter.CreateHistogram("classcloud_http_request_duration", "s", "Time to serve a request.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        HostGauges();
        if (services.GetService<UsageSampler>() is not null)
        {
            WorkloadGauges();
        }
    }

    public void Dispose() => meter.Dispose();

    public void RecordRequest(string method, string route, int status, TimeSpan elapsed)
    {
        var statusClass = status switch { < 200 => "1xx", < 300 => "2xx", < 400 => "3xx", < 500 => "4xx", _ => "5xx" };
        requests.Add(1, new TagList { { "method", method }, { "route", route }, { "status", statusClass } });
        durations.Record(elapsed.TotalSeconds, new TagList { { "method", method }, { "route", route } });
    }

    void Gauge<T>(string name, string help, Func<HostReading, T?> read) where T : struct =>
        meter.CreateObservableGauge(name, () => snapshot.Host is { } h && read(h) is { } v ? [new Measurement<T>(v)] : Array.Empty<Measurement<T>>(), null, help);

    void HostGauges()
    {
        Gauge<double>("classcloud_host_cpu_percent", "Busy share of all CPU cores, 0-100.", h => h.CpuPercent);
        Gauge<long>("classcloud_host_memory_used_bytes", "Host memory in use (total minus available).", h => h.MemoryUsedBytes);
        Gauge<long>("classcloud_host_memory_total_bytes", "Host memory.", h => h.MemoryTotalBytes);
        meter.CreateObservableGauge("classcloud_host_disk_used_bytes", () => Disks().Select(d => new Measurement<long>(d.Disk.UsedBytes, d.Tags)),
            null, "Bytes used on the filesystem holding a directory.");
        meter.CreateObservableGauge("classcloud_host_disk_total_bytes", () => Disks().Select(d => new Measurement<long>(d.Disk.TotalBytes, d.Tags)),
            null, "Size of the filesystem holding a directory.");
        Gauge<int>("classcloud_engine_up", "Whether the container engine answered the last sample.", h => h.EngineUp ? 1 : 0);
        meter.CreateObservableGauge("classcloud_engine_info", () => snapshot.Host?.EngineVersion is { } version
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("version", version))] : Array.Empty<Measurement<int>>(), null, "The container engine's version.");
        Gauge<int>("classcloud_engine_containers_running", "Containers running on the engine (anyone's).", h => h.Containers);
        Gauge<int>("classcloud_registry_up", "Whether the image registry answered the last sample.", h => h.RegistryUp ? 1 : 0);
        Gauge<long>("classcloud_registry_repositories", "Repositories in the registry.", h => h.Registry is { Up: true } r ? r.Repositories : null);
        Gauge<long>("classcloud_registry_tags", "Tags in the registry.", h => h.Registry is { Up: true } r ? r.Tags : null);
        Gauge<long>("classcloud_registry_bytes", "Unique blob bytes in the registry.", h => h.Registry is { Up: true } r ? r.Bytes : null);
        Gauge<double>("classcloud_sample_timestamp_seconds", "When the sampler last looked (Unix time).", h => h.SampledAt.ToUnixTimeMilliseconds() / 1000.0);
    }

    IEnumerable<(DiskUse Disk, KeyValuePair<string, object?>[] Tags)> Disks()
    {
        if (snapshot.Host is not { } h)
        {
            yield break;
        }
        foreach (var (role, disk) in new[] { ("data", h.Disk), ("engine", h.EngineDisk) })
        {
            if (disk is not null)
            {
                yield return (disk, [new("role", role), new("path", disk.Path)]);
            }
        }
    }

    void WorkloadGauges()
    {
        meter.CreateObservableGauge("classcloud_workload_state", () => workloads.Current().Select(w =>
            new Measurement<int>(1, [.. w.Tags, new("state", States.Contains(w.State) ? w.State : "unknown")])), null, "1 for the workload's observed state.");
        meter.CreateObservableGauge("classcloud_workload_restarts", () => workloads.Current().Select(w => new Measurement<int>(w.Restarts, w.Tags)),
            null, "Restarts done by the reconciler.");
        IEnumerable<Measurement<T>> Usage<T>(Func<WorkloadUsage, T> read) where T : struct =>
            workloads.Current().Select(w => (w, u: snapshot.Get(w.Id))).Where(p => p.u is not null).Select(p => new Measurement<T>(read(p.u!), p.w.Tags));
        meter.CreateObservableGauge("classcloud_workload_cpu_percent", () => Usage(u => u.CpuPercent), null, "CPU in percent of one core (200 = two cores busy).");
        meter.CreateObservableGauge("classcloud_workload_memory_bytes", () => Usage(u => u.MemoryBytes), null, "Memory in use (page cache excluded).");
        meter.CreateObservableGauge("classcloud_workload_memory_limit_bytes", () => Usage(u => u.MemoryLimitBytes), null, "Memory limit.");
    }

    /// <summary>
    /// The workload rows the gauges read, queried once per scrape rather than once per gauge:
    /// OpenTelemetry calls each observable gauge's callback in turn, synchronously.
    /// </summary>
    sealed class WorkloadRows(IServiceProvider services)
    {
        static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
        readonly Lock gate = new();
        List<Row> rows = [];
        long readAt;

        public sealed record Row(string Id, string State, int Restarts, KeyValuePair<string, object?>[] Tags);

        public List<Row> Current()
        {
            lock (gate)
            {
                if (readAt == 0 || Stopwatch.GetElapsedTime(readAt) > Fresh)
                {
                    using var scope = services.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
                    rows = [.. db.Workloads.AsNoTracking().OrderBy(w => w.Id).Take(10_000)
                        .Select(w => new { w.Id, w.Kind, w.OwnerId, w.ObservedState, w.RestartCount }).AsEnumerable()
                        .Select(w => new Row(w.Id, w.ObservedState ?? "unknown", w.RestartCount,
                            [new("workload", w.Id), new("kind", w.Kind), new("owner", w.OwnerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")]))];
                    readAt = Stopwatch.GetTimestamp();
                }
                return rows;
            }
        }
    }
}

/// <summary>Times every request and records it once the endpoint that served it is known.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ClasscloudMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // Route templates, not paths, keep the number of series bounded; "none" for static files and unknown paths.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "none";
            var status = context.Response.StatusCode;
            metrics.RecordRequest(context.Request.Method, route, context.RequestAborted.IsCancellationRequested && status == 200 ? 499 : status,
                Stopwatch.GetElapsedTime(started));
        }
    }
}
