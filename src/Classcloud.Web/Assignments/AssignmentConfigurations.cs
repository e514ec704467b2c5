using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Assignments;

public static class AssignmentLimits
{
    public const int Slug = 64;
    public const int Title = 200;
    public const int Description = 50_000;
    public const int Word = 16;
    public const int RunCommand = 500;
    /// <summary>The starter files' JSON column; the request limits (count, size) keep it well inside.</summary>
    public const int StarterFilesJson = 600_000;
    public const int MaxStarterFiles = 100;
    public const int MaxStarterBytes = 512 * 1024;
    public const int MaxTests = 50;
    public const int TestName = 200;
    public const int TestText = 100_000;
    public const int MaxTimeLimitMs = 60_000;
    public const int MaxMemoryMb = 2048;
    public const int MaxPoints = 1000;
    public const int Hash = 64;
    public const int ArchiveKey = 32;
    public const int Note = 2000;
    public const int Feedback = 20_000;
    /// <summary>Output kept per test and stream.</summary>
    public const int Output = 64 * 1024;
    public const int FilesJson = 1_000_000;
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> b)
    {
        b.Property(a => a.Slug).HasMaxLength(AssignmentLimits.Slug);
        b.Property(a => a.Title).HasMaxLength(AssignmentLimits.Title);
        b.Property(a => a.Description).HasMaxLength(AssignmentLimits.Description);
        b.Property(a => a.Language).HasMaxLength(AssignmentLimits.Word);
        b.Property(a => a.RunCommand).HasMaxLength(AssignmentLimits.RunCommand);
        b.Property(a => a.LatePolicy).HasMaxLength(AssignmentLimits.Word);
        b.Property(a => a.StarterFilesJson).HasMaxLength(AssignmentLimits.StarterFilesJson);
        b.HasIndex(a => new { a.CourseId, a.Slug }).IsUnique();
        b.HasIndex(a => a.DueAt);
        b.HasOne<Course>().WithMany().HasForeignKey(a => a.CourseId).OnDelete(DeleteBehavior.Cascade);
        // CreatedById is a record, not a tie: a co-educator who made assignments can still delete their account.
    }
}

internal sealed class AssignmentTestConfiguration : IEntityTypeConfiguration<AssignmentTest>
{
    public void Configure(EntityTypeBuilder<AssignmentTest> b)
    {
        b.Property(t => t.Name).HasMaxLength(AssignmentLimits.TestName);
        b.Property(t => t.Stdin).HasMaxLength(AssignmentLimits.TestText);
        b.Property(t => t.ExpectedStdout).HasMaxLength(AssignmentLimits.TestText);
        b.Property(t => t.Compare).HasMaxLength(AssignmentLimits.Word);
        b.Property(t => t.Visibility).HasMaxLength(AssignmentLimits.Word);
        b.HasIndex(t => new { t.AssignmentId, t.Position });
        b.HasOne<Assignment>().WithMany().HasForeignKey(t => t.AssignmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentExtensionConfiguration : IEntityTypeConfiguration<AssignmentExtension>
{
    public void Configure(EntityTypeBuilder<AssignmentExtension> b)
    {
        b.HasKey(e => new { e.AssignmentId, e.UserId });
        b.HasIndex(e => e.UserId);
        b.HasOne<Assignment>().WithMany().HasForeignKey(e => e.AssignmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentDeliveryConfiguration : IEntityTypeConfiguration<AssignmentDelivery>
{
    public void Configure(EntityTypeBuilder<AssignmentDelivery> b)
    {
        b.HasKey(d => new { d.AssignmentId, d.WorkspaceId });
        b.Property(d => d.Error).HasMaxLength(AssignmentLimits.Note);
        b.HasIndex(d => d.WorkspaceId);
        b.HasOne<Assignment>().WithMany().HasForeignKey(d => d.AssignmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> b)
    {
        b.Property(s => s.Source).HasMaxLength(AssignmentLimits.Word);
        b.Property(s => s.ContentHash).HasMaxLength(AssignmentLimits.Hash);
        b.Property(s => s.FilesJson).HasMaxLength(AssignmentLimits.FilesJson);
        b.Property(s => s.ArchiveKey).HasMaxLength(AssignmentLimits.ArchiveKey);
        b.Property(s => s.Note).HasMaxLength(AssignmentLimits.Note);
        b.Property(s => s.GradeState).HasMaxLength(AssignmentLimits.Word);
        b.Property(s => s.GradeError).HasMaxLength(AssignmentLimits.Note);
        b.Property(s => s.Feedback).HasMaxLength(AssignmentLimits.Feedback);
        b.HasIndex(s => new { s.AssignmentId, s.UserId, s.TakenAt });
        b.HasIndex(s => s.GradeState);
        b.HasIndex(s => s.UserId);
        b.HasOne<Assignment>().WithMany().HasForeignKey(s => s.AssignmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class TestResultConfiguration : IEntityTypeConfiguration<TestResult>
{
    public void Configure(EntityTypeBuilder<TestResult> b)
    {
        b.Property(r => r.Actual).HasMaxLength(AssignmentLimits.Output);
        b.Property(r => r.Stderr).HasMaxLength(AssignmentLimits.Output);
        b.Property(r => r.Note).HasMaxLength(AssignmentLimits.Note);
        b.HasIndex(r => r.SubmissionId);
        b.HasIndex(r => r.TestId);
        b.HasOne<Submission>().WithMany().HasForeignKey(r => r.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AssignmentTest>().WithMany().HasForeignKey(r => r.TestId).OnDelete(DeleteBehavior.Cascade);
    }
}
