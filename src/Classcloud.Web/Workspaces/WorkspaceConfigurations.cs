using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Workspaces;

public static class WorkspaceLimits
{
    public const int Name = 100;
    public const int Description = 2000;
    public const int Reason = 1000;
    public const int Image = 300;
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(w => w.Name).HasMaxLength(WorkspaceLimits.Name);
        b.Property(w => w.Description).HasMaxLength(WorkspaceLimits.Description);
        b.Property(w => w.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(w => w.Visibility).HasConversion<string>().HasMaxLength(16);
        b.Property(w => w.GuestAccess).HasConversion<string>().HasMaxLength(16);
        // Stored as the lowercase name ("running"), as the API words it.
        b.Property(w => w.State).HasConversion(v => v.ToString().ToLowerInvariant(), s => Enum.Parse<WorkspaceState>(s, true)).HasMaxLength(16);
        b.Property(w => w.Reason).HasMaxLength(WorkspaceLimits.Reason);
        b.Property(w => w.JobHolder).HasMaxLength(200);
        b.Property(w => w.Image).HasMaxLength(WorkspaceLimits.Image);
        b.Property(w => w.VncPasswordProtected).HasMaxLength(1000);
        b.Property(w => w.WorkloadId).HasMaxLength(50);
        b.Property(w => w.VolumeName).HasMaxLength(100);
        b.Property(w => w.Size).HasMaxLength(32);
        b.HasIndex(w => w.OwnerId);
        b.HasIndex(w => w.CourseId);
        b.HasIndex(w => w.Name);
        // Workspaces go before the account does (WorkspaceEraser); a deleted course unlinks them.
        b.HasOne<User>().WithMany().HasForeignKey(w => w.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Course>().WithMany().HasForeignKey(w => w.CourseId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkspaceSnapshotConfiguration : IEntityTypeConfiguration<WorkspaceSnapshot>
{
    public void Configure(EntityTypeBuilder<WorkspaceSnapshot> b)
    {
        b.Property(s => s.Image).HasMaxLength(WorkspaceLimits.Image);
        b.Property(s => s.Digest).HasMaxLength(100);
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(s => new { s.WorkspaceId, s.Number });
        b.HasIndex(s => s.OwnerId);
        b.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class WorkspaceKeyConfiguration : IEntityTypeConfiguration<WorkspaceKey>
{
    public void Configure(EntityTypeBuilder<WorkspaceKey> b)
    {
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasIndex(k => k.SnapshotId);
        b.HasOne<WorkspaceSnapshot>().WithMany().HasForeignKey(k => k.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}
