using Classcloud.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Courses;

public static class CourseLimits
{
    public const int Name = 100;
    public const int Description = 2000;
    public const int Section = 50;
    public const int MaxCapacity = 10_000;
    /// <summary>Bounds of a course's idle overrides, in minutes: suspend 5 min..24 h, stop 5 min..7 days.</summary>
    public const int MinIdleMinutes = 5;
    public const int MaxIdleSuspendMinutes = 24 * 60;
    public const int MaxIdleStopMinutes = 7 * 24 * 60;
    public const int StudentNumber = 32;
    public const int Title = 200;
    public const int Body = 50_000;
    public const int CommentBody = 5_000;
    public const int FileName = 200;
    public const int ContentType = 100;
    public const int MaxAttachmentsPerPost = 20;
    /// <summary>Keeps every level's sequence number within its six digits in <see cref="Comment.Path"/>.</summary>
    public const int MaxCommentsPerPost = 100_000;
}

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> b)
    {
        b.Property(c => c.Name).HasMaxLength(CourseLimits.Name);
        b.Property(c => c.Description).HasMaxLength(CourseLimits.Description);
        b.Property(c => c.Section).HasMaxLength(CourseLimits.Section);
        b.Property(c => c.JoinPolicy).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(c => c.Name);
        b.HasIndex(c => c.OwnerId);
        // An owner must hand over or delete courses before the account goes (CourseOwnershipGuard).
        b.HasOne<User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> b)
    {
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.StudentNumber).HasMaxLength(CourseLimits.StudentNumber);
        b.HasIndex(e => new { e.CourseId, e.UserId }).IsUnique();
        b.HasIndex(e => new { e.UserId, e.Status });
        b.HasOne<Course>().WithMany().HasForeignKey(e => e.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CoEducatorConfiguration : IEntityTypeConfiguration<CoEducator>
{
    public void Configure(EntityTypeBuilder<CoEducator> b)
    {
        b.HasKey(c => new { c.CourseId, c.UserId });
        b.HasIndex(c => c.UserId);
        b.HasOne<Course>().WithMany().HasForeignKey(c => c.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CourseInvitationConfiguration : IEntityTypeConfiguration<CourseInvitation>
{
    public void Configure(EntityTypeBuilder<CourseInvitation> b)
    {
        b.Property(i => i.Email).HasMaxLength(AccountLimits.Email);
        b.Property(i => i.Name).HasMaxLength(AccountLimits.Name);
        b.Property(i => i.StudentNumber).HasMaxLength(CourseLimits.StudentNumber);
        b.HasIndex(i => new { i.CourseId, i.Email }).IsUnique();
        b.HasIndex(i => i.Email);
        b.HasOne<Course>().WithMany().HasForeignKey(i => i.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(i => i.InvitedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> b)
    {
        b.Property(p => p.Board).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Visibility).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Title).HasMaxLength(CourseLimits.Title);
        b.Property(p => p.Body).HasMaxLength(CourseLimits.Body);
        // The board list: pinned first, newest first, within one course's board.
        b.HasIndex(p => new { p.CourseId, p.Board, p.Pinned, p.Id });
        b.HasIndex(p => p.AuthorId);
        b.HasOne<Course>().WithMany().HasForeignKey(p => p.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PostReadConfiguration : IEntityTypeConfiguration<PostRead>
{
    public void Configure(EntityTypeBuilder<PostRead> b)
    {
        b.HasKey(r => new { r.PostId, r.UserId });
        b.HasIndex(r => r.UserId);
        b.HasOne<Post>().WithMany().HasForeignKey(r => r.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.Path).HasMaxLength(CommentRules.PathLength);
        b.Property(c => c.Body).HasMaxLength(CourseLimits.CommentBody);
        // A comment page is a range on this index (see Comment).
        b.HasIndex(c => new { c.PostId, c.Ordinal });
        b.HasIndex(c => new { c.PostId, c.Path }).IsUnique();
        b.HasIndex(c => c.AuthorId);
        b.HasOne<Post>().WithMany().HasForeignKey(c => c.PostId).OnDelete(DeleteBehavior.Cascade);
        // Comments are never removed one by one (deleting keeps the place), only with their post;
        // NO ACTION is checked at the end of that statement, after the cascade removed the replies too.
        b.HasOne<Comment>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.Property(a => a.FileName).HasMaxLength(CourseLimits.FileName);
        b.Property(a => a.ContentType).HasMaxLength(CourseLimits.ContentType);
        b.Property(a => a.StorageKey).HasMaxLength(64);
        b.HasIndex(a => a.PostId);
        b.HasIndex(a => a.StorageKey).IsUnique();
        b.HasOne<Post>().WithMany().HasForeignKey(a => a.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(a => a.UploaderId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(n => n.ActorName).HasMaxLength(AccountLimits.Nickname);
        b.Property(n => n.Subject).HasMaxLength(CourseLimits.Name);
        b.Property(n => n.Title).HasMaxLength(CourseLimits.Title);
        b.HasIndex(n => new { n.UserId, n.Id });
        b.HasIndex(n => new { n.UserId, n.ReadAt });
        b.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(n => n.ActorId).OnDelete(DeleteBehavior.SetNull);
        // "Course deleted" must outlive the course; notifications about a deleted post go with it.
        b.HasOne<Course>().WithMany().HasForeignKey(n => n.CourseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Post>().WithMany().HasForeignKey(n => n.PostId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Groups.Group>().WithMany().HasForeignKey(n => n.GroupId).OnDelete(DeleteBehavior.SetNull);
    }
}
