namespace Classcloud.Web.Courses;

public enum NotificationKind
{
    ApplicationReceived,
    ApplicationAccepted,
    ApplicationRejected,
    Enrolled,
    NewNotice,
    ReplyToPost,
    ReplyToComment,
    RemovedFromCourse,
    CourseDeleted,
    GroupInvitation,
    /// <summary>The owner's workspace container crashed (non-zero exit); <see cref="Notification.Subject"/> is its name.</summary>
    WorkspaceCrashed,
    /// <summary>The owner's workspace container was killed for memory.</summary>
    WorkspaceOutOfMemory,
    /// <summary>The owner's workspace home reached 90 % of its disk limit (Monitoring/HomeDiskWatcher).</summary>
    WorkspaceDiskWarning,
    /// <summary>The owner's workspace home went over its disk limit and the workspace was stopped.</summary>
    WorkspaceDiskFull,
}

/// <summary>
/// An in-app notification ("My news", seed 000 CLASS03). Names are kept as they were when it was
/// made, so it still reads well after the course or post is gone. Notifications about a post are
/// shown only while the reader may still see that post.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public long? CourseId { get; set; }
    public long? PostId { get; set; }
    public long? CommentId { get; set; }
    public long? GroupId { get; set; }
    public long? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    /// <summary>The course's (or group's) name when the notification was made.</summary>
    public string Subject { get; set; } = "";
    /// <summary>The post's title, when it is about a post.</summary>
    public string? Title { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
