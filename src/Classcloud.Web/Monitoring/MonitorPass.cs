using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// What one sampler pass writes, done only by the holder of the "monitor" lease so that several
/// controller hosts neither double the history nor raise an incident twice: the history rows,
/// the alert conditions (host memory and disk, engine, registry, OOM kills, crash loops) and the mails.
/// </summary>
public sealed class MonitorPass(
    ClasscloudDb db, LeaseStore leases, AlertService alerts, MonitorIdentity identity,
    IOptions<MonitoringOptions> options, TimeProvider time)
{
    public const string LeaseName = "monitor";

    public async Task RunAsync(HostReading reading, RegistrySample? registryCount, IReadOnlyList<WorkloadStatus>? workloads,
        IReadOnlyDictionary<string, DateTimeOffset> recentOoms, CancellationToken ct)
    {
        var o = options.Value;
        var lease = o.SampleInterval * 3 > TimeSpan.FromSeconds(30) ? o.SampleInterval * 3 : TimeSpan.FromSeconds(30);
        if (!await leases.TryAcquireAsync(LeaseName, identity.HolderId, lease, ct))
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.HostSamples.Add(new HostSample
        {
            SampledAt = reading.SampledAt.UtcDateTime,
            CpuPercent = Math.Round(reading.CpuPercent, 2),
            MemoryUsedBytes = reading.MemoryUsedBytes,
            MemoryTotalBytes = reading.MemoryTotalBytes,
            DiskUsedBytes = reading.Disk.UsedBytes,
            DiskTotalBytes = reading.Disk.TotalBytes,
            EngineDiskUsedBytes = reading.EngineDisk?.UsedBytes,
            EngineDiskTotalBytes = reading.EngineDisk?.TotalBytes,
            EngineUp = reading.EngineUp,
            Containers = reading.Containers,
        });
        if (registryCount is not null)
        {
            db.RegistrySamples.Add(registryCount);
        }

        await alerts.SyncAsync(new AlertCondition(AlertKinds.EngineUnreachable, "engine", !reading.EngineUp,
            $"The container engine cannot be reached: {reading.EngineError}"), ct);
        await alerts.SyncAsync(new AlertCondition(AlertKinds.RegistryUnreachable, "registry", !reading.RegistryUp,
            $"The image registry cannot be reached: {reading.RegistryError}"), ct);
        var memoryPercent = reading.MemoryTotalBytes > 0 ? 100.0 * reading.MemoryUsedBytes / reading.MemoryTotalBytes : 0;
        await alerts.SyncAsync(new AlertCondition(AlertKinds.HostMemory, "host", memoryPercent >= o.MemoryThresholdPercent,
            $"Host memory is {Percent(memoryPercent)} % used ({Gib(reading.MemoryUsedBytes)} of {Gib(reading.MemoryTotalBytes)} GiB); the threshold is {Percent(o.MemoryThresholdPercent)} %."), ct);
        foreach (var disk in new[] { reading.Disk, reading.EngineDisk }.OfType<DiskUse>().DistinctBy(d => d.Path))
        {
            await alerts.SyncAsync(new AlertCondition(AlertKinds.HostDisk, disk.Path, disk.TotalBytes > 0 && disk.Percent >= o.DiskThresholdPercent,
                $"The disk holding {disk.Path} is {Percent(disk.Percent)} % full ({Gib(disk.UsedBytes)} of {Gib(disk.TotalBytes)} GiB); the threshold is {Percent(o.DiskThresholdPercent)} %."), ct);
        }
        if (workloads is not null)
        {
            await SyncOomsAsync(workloads, recentOoms, ct);
        }
        await alerts.ResolveCrashLoopsAsync(ct);
        await alerts.MailNewAsync(ct);
        await db.SaveChangesAsync(ct);

        if (identity.PruneDue(now, TimeSpan.FromMinutes(10)))
        {
            await HistoryStore.PruneAsync(db, now, o, ct);
        }
    }

    /// <summary>
    /// A workload is in an OOM incident while a replica's last run was OOM-killed or an OOM event
    /// came within the quiet period; only this installation's workloads count.
    /// </summary>
    async Task SyncOomsAsync(IReadOnlyList<WorkloadStatus> workloads, IReadOnlyDictionary<string, DateTimeOffset> recentOoms, CancellationToken ct)
    {
        var active = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            var killed = workload.Instances.FirstOrDefault(i => i.OomKilled);
            if (killed is not null)
            {
                active[workload.Id.Value] = $"Workload {workload.Id} was killed for exceeding its memory limit (replica {killed.Replica}).";
            }
            else if (recentOoms.TryGetValue(workload.Id.Value, out var at))
            {
                active[workload.Id.Value] = $"Workload {workload.Id} had a process killed for exceeding its memory limit at {at:u}.";
            }
        }
        foreach (var (id, message) in active)
        {
            await alerts.SyncAsync(new AlertCondition(AlertKinds.Oom, id, true, message, id), ct);
        }
        foreach (var subject in await alerts.OpenSubjectsAsync(AlertKinds.Oom, ct))
        {
            if (!active.ContainsKey(subject))
            {
                await alerts.SyncAsync(new AlertCondition(AlertKinds.Oom, subject, false, ""), ct);
            }
        }
    }

    static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    static string Gib(long bytes) => (bytes / 1024.0 / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>This process's name on the monitor lease, and when it last pruned the history.</summary>
public sealed class MonitorIdentity
{
    readonly Lock gate = new();
    DateTime lastPrune = DateTime.MinValue;

    public string HolderId { get; } = $"{Environment.MachineName}-monitor-{Guid.NewGuid():N}";

    public bool PruneDue(DateTime now, TimeSpan every)
    {
        lock (gate)
        {
            if (now - lastPrune < every)
            {
                return false;
            }
            lastPrune = now;
            return true;
        }
    }
}
