using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Courses;

/// <summary>
/// One of a course's three boards with its post counts, kept up to date as posts are written,
/// hidden, made private and deleted, so a board page's total is one row, not a COUNT over every
/// post (bench/README.md, courses: the count was the board list's cost). PublicPostCount counts
/// what every member sees (for everyone, not hidden); a student also sees their own private posts.
/// </summary>
public sealed class Board
{
    public long CourseId { get; set; }
    public BoardKind Kind { get; set; }
    public int PostCount { get; set; }
    public int PublicPostCount { get; set; }

    public static bool IsPublic(Post post) => post.Visibility == PostVisibility.Everyone && !post.Hidden;
}

internal sealed class BoardConfiguration : IEntityTypeConfiguration<Board>
{
    public void Configure(EntityTypeBuilder<Board> b)
    {
        b.HasKey(x => new { x.CourseId, x.Kind });
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
