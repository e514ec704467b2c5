namespace Classcloud.Web.Workspaces;

public enum WorkspaceKind
{
    Terminal,
    Desktop,
}

public enum WorkspaceVisibility
{
    /// <summary>Only the owner (and, for course-linked workspaces, the course's people; administrators always).</summary>
    Private,

    /// <summary>Listed in the directory; any signed-in user may join as a guest.</summary>
    Public,
}

public enum GuestAccess
{
    /// <summary>Guests watch; the gateway drops their input.</summary>
    View,

    /// <summary>Guests type and click like the owner.</summary>
    Control,
}

/// <summary>
/// A cloud terminal or desktop of one user. Its container is the controller's <c>Workload</c> row of
/// the same id (see <see cref="WorkspaceNames"/>); this row holds what people see and decide.
/// </summary>
public sealed class Workspace
{
    public long Id { get; set; }
    public long OwnerId { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public WorkspaceKind Kind { get; set; }
    public WorkspaceVisibility Visibility { get; set; }
    public GuestAccess GuestAccess { get; set; }
    public long? CourseId { get; set; }
    public WorkspaceState State { get; set; } = WorkspaceState.Creating;
    /// <summary>
    /// Why it is in its state (error, restarting) or what the last failure was: a code with arguments
    /// (<see cref="WorkspaceReason"/>), worded in the reader's language when shown.
    /// </summary>
    public string? Reason { get; set; }
    /// <summary>The image its container is made from: a base image or one of the snapshots.</summary>
    public string Image { get; set; } = "";
    /// <summary>The snapshot <see cref="Image"/> belongs to; null for a base image.</summary>
    public long? SnapshotId { get; set; }
    /// <summary>While saving: bytes pushed so far.</summary>
    public long? ProgressBytes { get; set; }
    /// <summary>
    /// While <see cref="WorkspaceState.Starting"/>: when the start was asked for, as long as it waits
    /// for capacity (<see cref="WorkspaceAdmission"/>, first come first served); null once admitted.
    /// </summary>
    public DateTime? QueuedAt { get; set; }
    /// <summary>Set once a delete began; a failure leaves it set so the delete can be retried.</summary>
    public bool Deleting { get; set; }
    /// <summary>The size it was made in (<see cref="Sizes.WorkspaceSizes"/>); null: made before sizes, the standard ceilings.</summary>
    public string? Size { get; set; }

    /// <summary>
    /// The platform workload id when it is not the one derived from <see cref="Id"/> (a container claimed from
    /// the warm pool keeps the pool's id: Docker cannot rename labels); null: derived. Read it through <see cref="WorkspaceNames"/>.
    /// </summary>
    public string? WorkloadId { get; set; }
    /// <summary>The home volume's name when it is not the derived one (a warm-pool volume); null: derived.</summary>
    public string? VolumeName { get; set; }
    /// <summary>The VNC password, encrypted with ASP.NET Data Protection (purpose <see cref="WorkspaceSecrets.Purpose"/>).</summary>
    public string VncPasswordProtected { get; set; } = "";
    /// <summary>
    /// The process whose queue holds this workspace's job while it is in a transitional state
    /// (<see cref="Controller.ProcessIdentity"/>); other processes recover the job only once that process's
    /// liveness lease is gone. Null: nobody's (rows from before the column; recovered like a dead holder's).
    /// </summary>
    public string? JobHolder { get; set; }
    /// <summary>
    /// When a gateway process last saw someone connected (written on connect and leave, and every
    /// <see cref="WorkspacesOptions.PresenceHeartbeat"/> while connected): the idle watcher's clock in any process.
    /// </summary>
    public DateTime? LastSeenAt { get; set; }
    /// <summary>The home volume's size when last measured (Monitoring/HomeDiskWatcher); null: never measured.</summary>
    public long? HomeBytes { get; set; }
    /// <summary>When the owner was told the home is near its limit; cleared once below again, so the next crossing warns again.</summary>
    public DateTime? HomeWarnedAt { get; set; }
    /// <summary>When the owner raised their hand from the session (course workspaces; the class view shows it); null: lowered.</summary>
    public DateTime? HandRaisedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An immutable, pushed image of a whole workspace (its home volume is not part of it).</summary>
public sealed class WorkspaceSnapshot
{
    public long Id { get; set; }
    /// <summary>The workspace it was saved from; null once that workspace is gone but a key or another workspace still uses it.</summary>
    public long? WorkspaceId { get; set; }
    public long OwnerId { get; set; }
    public int Number { get; set; }
    /// <summary>Terminal or desktop: what a workspace made from it is.</summary>
    public WorkspaceKind Kind { get; set; }
    /// <summary>Registry reference, e.g. 127.0.0.1:5000/classcloud/workspace/7/12:3.</summary>
    public string Image { get; set; } = "";
    public string? Digest { get; set; }
    public long SizeBytes { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A share key: random, shown once, stored as its hash, pointing at one snapshot.</summary>
public sealed class WorkspaceKey
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public long CreatedById { get; set; }
    public string KeyHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
