namespace Classcloud.Web.Courses;

/// <summary>Every course has these three boards (seed 000 §3.4.3).</summary>
public enum BoardKind
{
    Notice,
    Questions,
    Free,
}

/// <summary>Educators-only posts are seen by the course's educators and the author, nobody else.</summary>
public enum PostVisibility
{
    Everyone,
    Educators,
}

public sealed class Post
{
    public long Id { get; set; }
    public long CourseId { get; set; }
    public BoardKind Board { get; set; }
    /// <summary>Null once the author's account is deleted; the post stays.</summary>
    public long? AuthorId { get; set; }
    public string Title { get; set; } = "";
    /// <summary>Markdown; rendered safely on every read (<see cref="MarkdownRenderer"/>).</summary>
    public string Body { get; set; } = "";
    public PostVisibility Visibility { get; set; }
    /// <summary>Pinned notices come first in the notice board.</summary>
    public bool Pinned { get; set; }
    /// <summary>An important notice is mailed to every member at once, whatever their mail setting (issue 17).</summary>
    public bool Important { get; set; }
    /// <summary>Hidden by an educator (moderation): only educators still see it.</summary>
    public bool Hidden { get; set; }
    /// <summary>All comments including deleted ones: the thread's length, so pages need no COUNT.</summary>
    public int CommentCount { get; set; }
    /// <summary>Sequence source for the next top-level comment's thread key.</summary>
    public int TopLevelCommentCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>That a user has opened a post: the board list shows the rest as unread.</summary>
public sealed class PostRead
{
    public long PostId { get; set; }
    public long UserId { get; set; }
    public DateTime ReadAt { get; set; }
}

/// <summary>
/// A comment in a thread (seed 000 §3.4.3 item 5). Thread order is materialized twice:
/// <see cref="Path"/> is the thread key (a fixed-width sequence number per level, so sorting by
/// it is thread order), and <see cref="Ordinal"/> is the 1-based position in that order, kept
/// dense when a reply is inserted. A page is then the range Ordinal ∈ (10·(p−1), 10·p] on an
/// index, which costs the same on page 1 and page 500 (issue 6, benchmark).
/// </summary>
public sealed class Comment
{
    public long Id { get; set; }
    public long PostId { get; set; }
    public long? ParentId { get; set; }
    /// <summary>Null for a deleted comment (author hidden) or a deleted account.</summary>
    public long? AuthorId { get; set; }
    /// <summary>0 for a comment on the post; replies are 1 to <see cref="CommentRules.MaxReplyDepth"/>.</summary>
    public int Depth { get; set; }
    public string Path { get; set; } = "";
    public int Ordinal { get; set; }
    /// <summary>Sequence source for the next reply's thread key.</summary>
    public int ReplyCount { get; set; }
    /// <summary>Markdown; emptied when the comment is deleted.</summary>
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    /// <summary>Set when deleted: the comment keeps its place and replies, shown as "deleted comment".</summary>
    public DateTime? DeletedAt { get; set; }
}

/// <summary>A file attached to a post, stored under the data directory and served after an authorization check.</summary>
public sealed class Attachment
{
    public long Id { get; set; }
    public long PostId { get; set; }
    public long? UploaderId { get; set; }
    /// <summary>The uploaded name, neutralized (no directories, no control characters).</summary>
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    /// <summary>Random name of the stored file; never derived from the uploaded name.</summary>
    public string StorageKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
