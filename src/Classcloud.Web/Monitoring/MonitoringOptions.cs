using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>Classcloud:Monitoring — how often the sampler looks, how long history stays, when alerts fire.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Classcloud:Monitoring";

    /// <summary>Host and per-workload samples.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Registry usage counts (each walks the catalog, so less often).</summary>
    public TimeSpan RegistryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often workspace home volumes are measured against the disk limit (each measurement walks every volume).</summary>
    public TimeSpan HomeDiskInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Workloads sampled at once (each stats sample holds one engine stream for about a second).</summary>
    public int StatsConcurrency { get; set; } = 8;

    /// <summary>Longest wait for one workload's stats sample.</summary>
    public TimeSpan StatsTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Host memory in use (percent of total) that raises an alert.</summary>
    public double MemoryThresholdPercent { get; set; } = 90;

    /// <summary>Disk in use (percent of the filesystem) that raises an alert.</summary>
    public double DiskThresholdPercent { get; set; } = 90;

    /// <summary>An OOM incident resolves once the workload ran this long without another OOM kill.</summary>
    public TimeSpan OomQuietPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>History kept at full resolution.</summary>
    public TimeSpan FullResolution { get; set; } = TimeSpan.FromDays(1);

    /// <summary>History kept at all (older than <see cref="FullResolution"/>: one sample per <see cref="ThinnedStep"/>).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan ThinnedStep { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Hard cap on rows per history table, whatever the interval.</summary>
    public int MaxHistoryRows { get; set; } = 20_000;
}

/// <summary>Classcloud:Metrics — who may scrape /metrics besides loopback.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Classcloud:Metrics";

    /// <summary>A bearer token Prometheus sends (<c>Authorization: Bearer …</c>); null: loopback only.</summary>
    public string? Token { get; set; }
}

internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions o)
    {
        var errors = new List<string>();
        if (o.SampleInterval < TimeSpan.FromMilliseconds(100) || o.RegistryInterval < TimeSpan.FromMilliseconds(100) || o.HomeDiskInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{MonitoringOptions.Section}: SampleInterval and RegistryInterval must be at least 100 ms, HomeDiskInterval at least a second.");
        }
        if (o.StatsConcurrency is < 1 or > 64 || o.StatsTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{MonitoringOptions.Section}: StatsConcurrency must be 1–64 and StatsTimeout positive.");
        }
        if (o.MemoryThresholdPercent is <= 0 or > 100 || o.DiskThresholdPercent is <= 0 or > 100)
        {
            errors.Add($"{MonitoringOptions.Section}: MemoryThresholdPercent and DiskThresholdPercent must be within 0–100.");
        }
        if (o.FullResolution <= TimeSpan.Zero || o.Retention < o.FullResolution || o.ThinnedStep <= TimeSpan.Zero || o.MaxHistoryRows < 10)
        {
            errors.Add($"{MonitoringOptions.Section}: FullResolution and ThinnedStep must be positive, Retention at least FullResolution, MaxHistoryRows at least 10.");
        }
        if (o.OomQuietPeriod < TimeSpan.Zero)
        {
            errors.Add($"{MonitoringOptions.Section}:OomQuietPeriod must not be negative.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
