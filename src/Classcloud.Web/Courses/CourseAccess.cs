using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>
/// The caller's relation to one course; every course, board and post rule is stated here once.
/// Administrators have the educators' rights in every course (seed 000 §3.5.6: they oversee all courses).
/// </summary>
public sealed record CourseAccess(Course Course, Caller Caller, bool IsCoEducator, EnrolmentStatus? Enrolment)
{
    public bool IsOwner => Course.OwnerId == Caller.UserId;

    /// <summary>The owner or a co-educator: the people who teach the course.</summary>
    public bool Teaches => IsOwner || IsCoEducator;

    /// <summary>May manage members, write notices and moderate posts.</summary>
    public bool IsEducator => Teaches || Caller.IsAdmin;

    public bool IsStudent => Enrolment == EnrolmentStatus.Accepted;

    /// <summary>May read the boards and write questions, free posts and comments.</summary>
    public bool IsMember => IsEducator || IsStudent;

    /// <summary>Educators see everything; others see posts for everyone and their own, unless hidden by an educator.</summary>
    public bool CanSee(Post post) =>
        IsEducator || (IsMember && !post.Hidden && (post.Visibility == PostVisibility.Everyone || post.AuthorId == Caller.UserId));

    /// <summary>Notices belong to the educators; other posts to their author (seed 000 POST02, POST06, POST10).</summary>
    public bool CanEdit(Post post) =>
        IsMember && (post.Board == BoardKind.Notice ? IsEducator : post.AuthorId == Caller.UserId);

    /// <summary>Authors delete their own posts; educators delete any post in their course (moderation).</summary>
    public bool CanDelete(Post post) => IsEducator || (IsMember && post.AuthorId == Caller.UserId);

    public bool CanWrite(BoardKind board) => board == BoardKind.Notice ? IsEducator : IsMember;

    /// <summary>How the API names the caller's relation: owner, coeducator, accepted, pending, rejected, admin or none.</summary>
    public string Status => IsOwner ? "owner"
        : IsCoEducator ? "coeducator"
        : Enrolment is { } e ? e.ToString().ToLowerInvariant()
        : Caller.IsAdmin ? "admin"
        : "none";
}

/// <summary>A post and the caller's relation to its course.</summary>
public sealed record PostAccess(Post Post, CourseAccess Course);
