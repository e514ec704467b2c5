using System.Globalization;

namespace Classcloud.Web.Monitoring;

/// <summary>What the sampler saw on its last pass: the host, the engine and the registry.</summary>
public sealed record HostReading(
    DateTimeOffset SampledAt,
    double CpuPercent,
    long MemoryUsedBytes,
    long MemoryTotalBytes,
    DiskUse Disk,
    DiskUse? EngineDisk,
    bool EngineUp,
    string? EngineVersion,
    int? Containers,
    string? EngineError,
    bool RegistryUp,
    string? RegistryError,
    RegistrySample? Registry);

/// <summary>Use of one filesystem.</summary>
public sealed record DiskUse(string Path, long UsedBytes, long TotalBytes)
{
    public double Percent => TotalBytes > 0 ? 100.0 * UsedBytes / TotalBytes : 0;
}

/// <summary>
/// Reads the machine this process runs on from /proc (CPU, memory) and the mount table (disks).
/// CPU is the busy share between two reads, so the first read after start says 0.
/// </summary>
public sealed class HostProbe
{
    readonly Lock gate = new();
    (long Busy, long Total)? previous;

    public double CpuPercent()
    {
        var now = ReadCpu();
        if (now is null)
        {
            return 0;
        }
        lock (gate)
        {
            var before = previous;
            previous = now;
            if (before is not { } b || now.Value.Total <= b.Total)
            {
                return 0;
            }
            return Math.Clamp(100.0 * (now.Value.Busy - b.Busy) / (now.Value.Total - b.Total), 0, 100);
        }
    }

    /// <summary>The first line of /proc/stat: user nice system idle iowait irq softirq steal …; idle and iowait are not busy.</summary>
    static (long Busy, long Total)? ReadCpu()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // guest and guest_nice (fields 9, 10) are already inside user and nice.
            var total = fields.Take(8).Sum();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Used (total minus available) and total memory from /proc/meminfo.</summary>
    public static (long Used, long Total) Memory()
    {
        try
        {
            var values = File.ReadLines("/proc/meminfo")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => long.TryParse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0);
            var total = values.GetValueOrDefault("MemTotal");
            var available = values.GetValueOrDefault("MemAvailable", values.GetValueOrDefault("MemFree"));
            return (Math.Max(0, total - available), total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>The filesystem holding <paramref name="path"/>: the mount point that is its longest prefix.</summary>
    public static DiskUse? Disk(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var drive = DriveInfo.GetDrives()
                .Where(d => IsUnder(full, d.RootDirectory.FullName))
                .OrderByDescending(d => d.RootDirectory.FullName.Length)
                .FirstOrDefault(d => d.IsReady && d.TotalSize > 0);
            return drive is null ? null : new DiskUse(full, drive.TotalSize - drive.TotalFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static bool IsUnder(string path, string mount) =>
        mount == "/" || path == mount.TrimEnd('/') || path.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
}
