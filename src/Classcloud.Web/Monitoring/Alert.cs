using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// Something an operator should look at: one row per incident (a crash loop, an OOM kill, a full
/// disk, …). While an incident of a <see cref="Kind"/> and <see cref="Subject"/> is open (no
/// <see cref="ResolvedAt"/>) the same condition raises nothing new (Monitoring/AlertService.cs).
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }
    public string Kind { get; set; } = "";
    public string? WorkloadId { get; set; }
    /// <summary>What the incident is about (a workload id, "engine", "registry", "host", a path); null: <see cref="WorkloadId"/>.</summary>
    public string? Subject { get; set; }
    public string Message { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public long? AcknowledgedById { get; set; }
    /// <summary>When the condition cleared; a later occurrence is a new incident.</summary>
    public DateTime? ResolvedAt { get; set; }
    /// <summary>When the administrators were mailed about it (once per incident).</summary>
    public DateTime? MailedAt { get; set; }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.Property(a => a.Kind).HasMaxLength(50);
        b.Property(a => a.WorkloadId).HasMaxLength(50);
        b.Property(a => a.Subject).HasMaxLength(200);
        b.Property(a => a.Message).HasMaxLength(2000);
        b.HasIndex(a => a.CreatedAt);
        b.HasIndex(a => new { a.Kind, a.Subject });
    }
}
