using Classcloud.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>One rubric line of an assignment: what the educator checks by hand and the points it adds (negative: a deduction).</summary>
public sealed class RubricItem
{
    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public int Position { get; set; }
    public string Text { get; set; } = "";
    public double Points { get; set; }
}

/// <summary>A rubric item ticked for one submission.</summary>
public sealed class RubricCheck
{
    public long SubmissionId { get; set; }
    public long RubricItemId { get; set; }
}

/// <summary>An educator's comment on one line of one file of a submission; the student reads it once scores are released.</summary>
public sealed class LineComment
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    public string Path { get; set; } = "";
    public int Line { get; set; }
    public string Text { get; set; } = "";
    /// <summary>Who wrote it (null once that account is gone; the comment stays for the student).</summary>
    public long? AuthorId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class GradingLimits
{
    public const int MaxRubricItems = 50;
    public const int RubricText = 500;
    public const double MaxRubricPoints = 1000;
    public const int CommentText = 4000;
    public const int MaxComments = 500;
    public const int Path = 1000;
}

internal sealed class RubricItemConfiguration : IEntityTypeConfiguration<RubricItem>
{
    public void Configure(EntityTypeBuilder<RubricItem> b)
    {
        b.ToTable("RubricItems");
        b.Property(r => r.Text).HasMaxLength(GradingLimits.RubricText);
        b.HasIndex(r => new { r.AssignmentId, r.Position });
        b.HasOne<Assignment>().WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RubricCheckConfiguration : IEntityTypeConfiguration<RubricCheck>
{
    public void Configure(EntityTypeBuilder<RubricCheck> b)
    {
        b.ToTable("RubricChecks");
        b.HasKey(c => new { c.SubmissionId, c.RubricItemId });
        b.HasIndex(c => c.RubricItemId);
        b.HasOne<Submission>().WithMany().HasForeignKey(c => c.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<RubricItem>().WithMany().HasForeignKey(c => c.RubricItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LineCommentConfiguration : IEntityTypeConfiguration<LineComment>
{
    public void Configure(EntityTypeBuilder<LineComment> b)
    {
        b.ToTable("LineComments");
        b.Property(c => c.Path).HasMaxLength(GradingLimits.Path);
        b.Property(c => c.Text).HasMaxLength(GradingLimits.CommentText);
        b.HasIndex(c => c.SubmissionId);
        b.HasIndex(c => c.AuthorId);
        b.HasOne<Submission>().WithMany().HasForeignKey(c => c.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
    }
}
