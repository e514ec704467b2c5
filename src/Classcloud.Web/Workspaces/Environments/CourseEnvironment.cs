using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// A snapshot an educator published as a course's environment (seed 000 §4.6): members create a
/// course workspace from it in one click, or one is made for every member when
/// <see cref="ProvisionAutomatically"/> is on. While published, the snapshot is never collected.
/// </summary>
public sealed class CourseEnvironment
{
    public long Id { get; set; }

    public long CourseId { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public long SnapshotId { get; set; }

    public WorkspaceKind Kind { get; set; }

    public bool ProvisionAutomatically { get; set; }

    public long CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// One automatic provisioning of an environment for one member: the workspace made, or why none could be
/// made (the quota). A row means "done or tried", so a workspace the student deleted is not made again.
/// </summary>
public sealed class CourseProvision
{
    public long Id { get; set; }

    public long EnvironmentId { get; set; }

    public long UserId { get; set; }

    public long? WorkspaceId { get; set; }

    public string? Note { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class CourseEnvironmentConfiguration : IEntityTypeConfiguration<CourseEnvironment>
{
    public void Configure(EntityTypeBuilder<CourseEnvironment> b)
    {
        b.Property(e => e.Name).HasMaxLength(WorkspaceLimits.Name);
        b.Property(e => e.Description).HasMaxLength(WorkspaceLimits.Description);
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => e.CourseId);
        b.HasIndex(e => e.SnapshotId);
        b.HasOne<Course>().WithMany().HasForeignKey(e => e.CourseId).OnDelete(DeleteBehavior.Cascade);
        // The snapshot stays while it is published (SnapshotCollector checks this table).
        b.HasOne<WorkspaceSnapshot>().WithMany().HasForeignKey(e => e.SnapshotId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(e => e.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CourseProvisionConfiguration : IEntityTypeConfiguration<CourseProvision>
{
    public void Configure(EntityTypeBuilder<CourseProvision> b)
    {
        b.Property(p => p.Note).HasMaxLength(WorkspaceLimits.Reason);
        b.HasIndex(p => new { p.EnvironmentId, p.UserId }).IsUnique();
        b.HasOne<CourseEnvironment>().WithMany().HasForeignKey(p => p.EnvironmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed record EnvironmentRequest(string? Name, string? Description, long? SnapshotId, bool? ProvisionAutomatically);

/// <summary>An environment as members see it; <c>MyWorkspaceId</c>/<c>MyNote</c> are the caller's automatic provisioning.</summary>
public sealed record EnvironmentDto(long Id, long CourseId, string Name, string Description, string Kind, bool ProvisionAutomatically,
    long? SnapshotId, DateTime CreatedAt, long? MyWorkspaceId, string? MyNote);

public sealed record ProvisionDto(long UserId, string Name, long? WorkspaceId, string? Note, DateTime UpdatedAt);
