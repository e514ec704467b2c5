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
    /// <summary>
    /// The containerd shim of each container (Docker 20.10 runs one
    /// <c>containerd-shim-runc-v2 -namespace moby -id &lt;container id&gt;</c> per container), by container id.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ShimPids()
    {
        var shims = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var at = Array.IndexOf(args, "-id");
                if (args[0].Contains("containerd-shim", StringComparison.Ordinal) && at > 0 && at + 1 < args.Length)
                {
                    shims[args[at + 1]] = pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return shims;
    }

    /// <summary>
    /// A process's resident memory from /proc/&lt;pid&gt;/smaps_rollup: Rss (shared pages counted in full, as
    /// `ps` shows it) and Pss (shared pages divided among the processes sharing them); null when unreadable.
    /// </summary>
    public static (long Rss, long Pss)? ProcessMemoryBytes(int pid)
    {
        try
        {
            long Field(string[] lines, string name) => lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
            var rollup = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
            return (Field(rollup, "Rss"), Field(rollup, "Pss"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
