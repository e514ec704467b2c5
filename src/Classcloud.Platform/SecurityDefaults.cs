using System.Globalization;

namespace Classcloud.Platform;

/// <summary>The rules every driver applies, whatever a spec asks (DESIGN.md §5: unprivileged, cap-drop ALL, limits).</summary>
internal static class SecurityDefaults
{
    /// <summary>
    /// Capabilities a spec may keep: those a default Docker container has anyway, so keeping one
    /// never grants more than a plain container. SYS_ADMIN, NET_ADMIN, SYS_PTRACE and the like are refused.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedCapabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>Accepts a numeric <c>uid</c> or <c>uid:gid</c> whose uid is not 0.</summary>
    public static bool TryParseUser(string? user, out (long Uid, long? Gid) parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(user))
        {
            return false;
        }
        var parts = user.Split(':');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == 0)
        {
            return false;
        }
        long? gid = null;
        if (parts.Length == 2)
        {
            if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                return false;
            }
            gid = g;
        }
        parsed = (uid, gid);
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a spec that breaks a rule, naming the rule.</summary>
    public static void Validate(WorkloadSpec spec)
    {
        if (spec.User is not null && !TryParseUser(spec.User, out _))
        {
            throw new ArgumentException($"Workload {spec.Id}: user '{spec.User}' must be a numeric uid or uid:gid other than 0.", nameof(spec));
        }
        foreach (var cap in spec.Capabilities)
        {
            if (!AllowedCapabilities.Contains(cap))
            {
                throw new ArgumentException($"Workload {spec.Id}: capability '{cap}' cannot be granted; allowed: {string.Join(", ", AllowedCapabilities.Order(StringComparer.Ordinal))}.", nameof(spec));
            }
        }
        if (spec.Replicas < 0)
        {
            throw new ArgumentException($"Workload {spec.Id}: replicas must not be negative.", nameof(spec));
        }
        if (spec.Tenant is not null && !WorkloadId.IsValid(spec.Tenant))
        {
            throw new ArgumentException($"Workload {spec.Id}: tenant '{spec.Tenant}' is not a valid name.", nameof(spec));
        }
        foreach (var volume in spec.Volumes)
        {
            if (!WorkloadId.IsValid(volume.Volume) || !volume.Path.StartsWith('/'))
            {
                throw new ArgumentException($"Workload {spec.Id}: volume '{volume.Volume}' at '{volume.Path}' needs a valid name and an absolute path.", nameof(spec));
            }
        }
        foreach (var host in spec.HostDirectories ?? [])
        {
            if (!Path.IsPathRooted(host.HostPath) || !host.Path.StartsWith('/') || host.HostPath.Split('/').Contains("..") || host.HostPath == "/")
            {
                throw new ArgumentException($"Workload {spec.Id}: host directory '{host.HostPath}' at '{host.Path}' needs absolute paths (not the root, no '..').", nameof(spec));
            }
        }
        foreach (var key in spec.Labels.Keys)
        {
            if (PlatformInfo.ReservedLabels.Contains(key))
            {
                throw new ArgumentException($"Workload {spec.Id}: label '{key}' is reserved for the platform.", nameof(spec));
            }
        }
    }
}
