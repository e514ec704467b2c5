using System.Globalization;

namespace Classcloud.Bench.Platform;

/// <summary>Memory and CPU figures read from /proc and the cgroup v1 tree (the engine here uses cgroupfs).</summary>
internal static class HostFacts
{
    const double TicksPerSecond = 100;  // USER_HZ on Linux

    /// <summary>MemAvailable in bytes: what the whole machine (containers, shims, engine) leaves free.</summary>
    public static long MemoryAvailableBytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kb * 1024;
    }

    /// <summary>CPU seconds (user + system) a process has used so far; null when it cannot be read.</summary>
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces; the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The process id of dockerd, from its pid file.</summary>
    public static int? DockerdPid()
    {
        try
        {
            return int.Parse(File.ReadAllText("/var/run/docker.pid").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Memory charged to a container's own cgroup, as `docker stats` shows it (usage minus inactive
    /// file cache); null when the cgroup cannot be read. The containerd shim is outside it.
    /// </summary>
    public static long? ContainerMemoryBytes(string containerId)
    {
        var dir = $"/sys/fs/cgroup/memory/docker/{containerId}";
        try
        {
            var usage = long.Parse(File.ReadAllText(Path.Combine(dir, "memory.usage_in_bytes")).Trim(), CultureInfo.InvariantCulture);
            var inactive = File.ReadLines(Path.Combine(dir, "memory.stat"))
                .Select(l => l.Split(' '))
                .Where(p => p.Length == 2 && p[0] == "total_inactive_file")
                .Select(p => long.Parse(p[1], CultureInfo.InvariantCulture))
                .FirstOrDefault();
            return usage - inactive;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
