using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// A named lease: whoever holds an unexpired row acts (e.g. the one reconciling controller).
/// Taken and renewed with a conditional UPDATE, so two hosts on one database never both hold it.
/// </summary>
public sealed class Lease
{
    public string Name { get; set; } = "";
    public string HolderId { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}

/// <summary>
/// Desired state of one workload (a workspace, an app, a test run). The reconciler makes the
/// engine match it and writes back what it observed. <see cref="Id"/> is the platform's workload id.
/// </summary>
public sealed class Workload
{
    public string Id { get; set; } = "";
    /// <summary>workspace, app, test, …</summary>
    public string Kind { get; set; } = "";
    public long? OwnerId { get; set; }
    /// <summary>The tenant network it joins; null: no network.</summary>
    public string? Tenant { get; set; }
    /// <summary>A <see cref="WorkloadDefinition"/> as JSON.</summary>
    public string SpecJson { get; set; } = "{}";
    public string DesiredState { get; set; } = WorkloadStates.Running;
    public string? ObservedState { get; set; }
    public int RestartCount { get; set; }
    /// <summary>Restarts since <see cref="RestartWindowStartedAt"/>: a crash loop is too many of them in one window.</summary>
    public int WindowRestarts { get; set; }
    public DateTime? RestartWindowStartedAt { get; set; }
    public string? LastError { get; set; }
    public bool CrashLoop { get; set; }
    /// <summary>Set while a crashed workload waits for its backoff to pass.</summary>
    public DateTime? NextRetryAt { get; set; }
    /// <summary>Counts the requests: every change of the spec or of <see cref="DesiredState"/> adds one (<see cref="WorkloadConductor"/>).</summary>
    public long Generation { get; set; }
    /// <summary>The <see cref="Generation"/> the engine was last converged to.</summary>
    public long ObservedGeneration { get; set; }
    /// <summary>Who converges this workload right now (one <see cref="WorkloadConductor"/> call, in any process); null: nobody.</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>When an abandoned claim (its process died) may be taken over.</summary>
    public DateTime? ClaimedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class WorkloadStates
{
    public const string Running = "running";
    public const string Stopped = "stopped";
    /// <summary>Desired only: frozen in memory (a suspended workspace), on a platform with <c>Features.Pause</c>.</summary>
    public const string Paused = "paused";
    /// <summary>Desired only: to be removed from the engine, then the row goes.</summary>
    public const string Removed = "removed";
    public const string Starting = "starting";
    public const string BackingOff = "backing-off";
    public const string CrashLoop = "crash-loop";
    public const string Error = "error";
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> b)
    {
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.HolderId).HasMaxLength(200);
    }
}

internal sealed class WorkloadConfiguration : IEntityTypeConfiguration<Workload>
{
    public void Configure(EntityTypeBuilder<Workload> b)
    {
        b.Property(w => w.Id).HasMaxLength(50);
        b.Property(w => w.Kind).HasMaxLength(20);
        b.Property(w => w.Tenant).HasMaxLength(50);
        b.Property(w => w.SpecJson).HasMaxLength(20_000);
        b.Property(w => w.DesiredState).HasMaxLength(20);
        b.Property(w => w.ObservedState).HasMaxLength(20);
        b.Property(w => w.LastError).HasMaxLength(1000);
        b.Property(w => w.ClaimedBy).HasMaxLength(100);
        b.HasIndex(w => w.OwnerId);
        b.HasIndex(w => w.Tenant);
    }
}
