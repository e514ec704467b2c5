using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Shared;

/// <summary>
/// Settings an administrator changes at run time (one row). Quotas are enforced by the features
/// that own them: workspaces per user, courses an educator may create, courses a student may join.
/// </summary>
public sealed class PlatformSettings
{
    public const long SingletonId = 1;

    public long Id { get; set; } = SingletonId;
    /// <summary>One pattern per line: "pusan.ac.kr" (exact) or "*.ac.kr" (any subdomain). Empty allows every domain.</summary>
    public string AllowedEmailDomains { get; set; } = "";
    public int MaxWorkspacesPerUser { get; set; } = 3;
    public int MaxCoursesPerEducator { get; set; } = 20;
    public int MaxCoursesPerStudent { get; set; } = 30;
    /// <summary>
    /// CPU cores (the limits, not the requests) one user's running workspaces and projects may add up to; 0: no limit
    /// (issue 16). The default fits three default workspaces (1 core each) and a project (0.5).
    /// </summary>
    public double UserCpuQuota { get; set; } = 4;
    /// <summary>Memory (the limits) one user's running workspaces and projects may add up to; 0: no limit.</summary>
    public long UserMemoryQuotaBytes { get; set; } = 4L * 1024 * 1024 * 1024;
    /// <summary>Whether administrators' own workloads are exempt from the CPU and memory quota (off: they count like anyone's).</summary>
    public bool QuotaExemptAdmins { get; set; }
    /// <summary>
    /// Bytes each workspace's home volume may hold (0: no limit). Docker measures it and stops a workspace above it
    /// (Monitoring/HomeDiskWatcher); on Kubernetes the claim's size (Platform:Kubernetes:VolumeSize) is the limit.
    /// </summary>
    public long WorkspaceHomeBytes { get; set; } = 5L * 1024 * 1024 * 1024;
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> DomainPatterns =>
        AllowedEmailDomains.Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when the address's domain matches the allow-list (or the list is empty).</summary>
    public bool AllowsEmail(string email)
    {
        var patterns = DomainPatterns;
        if (patterns.Count == 0)
        {
            return true;
        }
        var domain = email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant();
        return patterns.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
            ? domain.EndsWith(p[1..].ToLowerInvariant(), StringComparison.Ordinal)
            : string.Equals(domain, p, StringComparison.OrdinalIgnoreCase));
    }
}

internal sealed class PlatformSettingsConfiguration : IEntityTypeConfiguration<PlatformSettings>
{
    public void Configure(EntityTypeBuilder<PlatformSettings> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.AllowedEmailDomains).HasMaxLength(4000);
        b.Ignore(s => s.DomainPatterns);
    }
}
