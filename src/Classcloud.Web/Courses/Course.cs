namespace Classcloud.Web.Courses;

/// <summary>How students join: the educator decides each application, everyone is accepted at once, or only invited people join.</summary>
public enum JoinPolicy
{
    Approval,
    Open,
    InviteOnly,
}

/// <summary>
/// A course (seed 000 §3.4.2.2; seed 003): name and description (year–semester) are required,
/// section and capacity are optional. The owner is the approved educator who created it.
/// </summary>
public sealed class Course
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string? Section { get; set; }
    /// <summary>Most accepted students; null is unlimited.</summary>
    public int? Capacity { get; set; }
    public JoinPolicy JoinPolicy { get; set; }
    /// <summary>Idle time after which a workspace linked to the course is suspended; null is the installation's <c>IdleSuspendAfter</c>.</summary>
    public int? IdleSuspendMinutes { get; set; }
    /// <summary>Idle time after which a workspace linked to the course is stopped; null is the installation's <c>IdleStopAfter</c>.</summary>
    public int? IdleStopMinutes { get; set; }
    public long OwnerId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Set at term end: the course is read-only (no new posts, comments, applications or submissions) until reopened.</summary>
    public DateTime? ArchivedAt { get; set; }
}

public enum EnrolmentStatus
{
    Pending,
    Accepted,
    Rejected,
}

/// <summary>
/// A student's application and, once accepted, membership (seed 000 §3.4.2.1). One row per course
/// and user: applying twice is a conflict, and a rejected student cannot apply again (fig. 87).
/// </summary>
public sealed class Enrolment
{
    public long Id { get; set; }
    public long CourseId { get; set; }
    public long UserId { get; set; }
    public EnrolmentStatus Status { get; set; }
    /// <summary>From a roster import; shown to the course's educators only.</summary>
    public string? StudentNumber { get; set; }
    public DateTime AppliedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}

/// <summary>Another approved educator who teaches the course with the owner's rights, except deleting it and naming co-educators.</summary>
public sealed class CoEducator
{
    public long CourseId { get; set; }
    public long UserId { get; set; }
    public DateTime AddedAt { get; set; }
}

/// <summary>
/// A roster line whose address has no account yet (seed 002): the person is mailed, and enrolled
/// when that address is verified at sign-up (<see cref="RosterInvitationHandler"/>).
/// </summary>
public sealed class CourseInvitation
{
    public long Id { get; set; }
    public long CourseId { get; set; }
    /// <summary>Normalized (upper-case) address, compared with User.NormalizedEmail.</summary>
    public string Email { get; set; } = "";
    public string Name { get; set; } = "";
    public string? StudentNumber { get; set; }
    public long? InvitedById { get; set; }
    public DateTime CreatedAt { get; set; }
}
