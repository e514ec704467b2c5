using System.Globalization;

namespace Classcloud.Web.Courses;

/// <summary>The thread-order key of a comment (see <see cref="Comment"/>).</summary>
public static class CommentRules
{
    /// <summary>Replies nest at most 15 levels below a comment on the post (seed 000 §3.4.3 item 5).</summary>
    public const int MaxReplyDepth = 15;
    public const int PageSize = 10;
    /// <summary>Six digits per level: up to 999,999 replies to one comment, more than a post may hold.</summary>
    public const int SegmentWidth = 6;
    public const int PathLength = (MaxReplyDepth + 1) * SegmentWidth;

    public static string Segment(int sequence) => sequence.ToString("D6", CultureInfo.InvariantCulture);

    public static int PageOf(int ordinal) => (ordinal - 1) / PageSize + 1;

    public static int TotalPages(int count) => count == 0 ? 1 : (count + PageSize - 1) / PageSize;
}
