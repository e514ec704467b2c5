namespace Classcloud.Web.Courses;

/// <summary>
/// A course as created or replaced. The idle minutes override the installation's idle suspend and stop
/// times for workspaces linked to the course; null (or left out) is the installation default.
/// </summary>
public sealed record CourseRequest(string? Name, string? Description, string? Section, int? Capacity, string? JoinPolicy,
    int? IdleSuspendMinutes = null, int? IdleStopMinutes = null);
public sealed record CoEducatorRequest(long? UserId, string? Email);
/// <summary>Important (notices only, issue 17): mailed to every member when the notice is posted.</summary>
public sealed record PostRequest(string? Title, string? Body, string? Visibility, bool? Pinned, bool? Important = null);
public sealed record CommentRequest(string? Body, long? ParentId);
public sealed record CourseQuery(string? Q, bool? Mine, int? Page, int? PageSize);
public sealed record PostQuery(string? Q, int? Page, int? PageSize);

public sealed record UserRef(long Id, string Name, string Nickname);

public sealed record CourseDto(
    long Id, string Name, string Description, string? Section, int? Capacity, string JoinPolicy,
    UserRef Owner, int MemberCount, string MyStatus, DateTime CreatedAt, int? IdleSuspendMinutes, int? IdleStopMinutes,
    DateTime? ArchivedAt = null);

public sealed record ApplicationDto(long Id, UserRef User, string Email, string Status, DateTime AppliedAt, DateTime? DecidedAt);

/// <summary>A member: role is owner, coeducator or student; e-mail and student number are shown to educators only.</summary>
public sealed record MemberDto(UserRef User, string Role, string? Email, string? StudentNumber, DateTime Since);

public sealed record PostSummaryDto(
    long Id, string Board, string Title, UserRef? Author, string Visibility, bool Pinned, bool Hidden,
    int CommentCount, bool Unread, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record AttachmentDto(long Id, string FileName, string ContentType, long Size, string Url);

public sealed record PostDto(
    long Id, long CourseId, string CourseName, string Board, string Title, string Body, string Html, UserRef? Author,
    string Visibility, bool Pinned, bool Hidden, int CommentCount, IReadOnlyList<AttachmentDto> Attachments,
    bool CanEdit, bool CanDelete, bool CanModerate, DateTime CreatedAt, DateTime UpdatedAt, bool Important = false);

/// <summary>A deleted comment keeps its place with author, body and html null (seed 000 §3.4.3 item 5).</summary>
public sealed record CommentDto(
    long Id, long? ParentId, int Depth, UserRef? Author, string? Body, string? Html, bool Deleted, bool CanDelete, DateTime CreatedAt);

public sealed record CommentPage(IReadOnlyList<CommentDto> Items, int Page, int TotalPages, int TotalCount);

public sealed record CreatedComment(CommentDto Comment, int Page);

public sealed record NotificationDto(long Id, string Kind, string Text, string Link, bool Read, DateTime CreatedAt);

public sealed record NotificationPage(IReadOnlyList<NotificationDto> Items, int Page, int TotalPages, int UnreadCount);
