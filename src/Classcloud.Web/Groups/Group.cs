namespace Classcloud.Web.Groups;

public enum GroupKind
{
    Club,
    Study,
    Team,
}

public enum GroupRole
{
    Member,
    Manager,
    Owner,
}

/// <summary>
/// A group of users (seed 002 §2.3: clubs, studies, teams): the tenant for shared projects later.
/// Managers edit details and invite; the owner also changes roles and deletes the group.
/// </summary>
public sealed class Group
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public GroupKind Kind { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class GroupMember
{
    public long GroupId { get; set; }
    public long UserId { get; set; }
    public GroupRole Role { get; set; }
    public DateTime JoinedAt { get; set; }
}

/// <summary>An invitation by e-mail; the invitee accepts it once signed in with that (verified) address.</summary>
public sealed class GroupInvitation
{
    public long Id { get; set; }
    public long GroupId { get; set; }
    /// <summary>Normalized (upper-case) address, compared with User.NormalizedEmail.</summary>
    public string Email { get; set; } = "";
    public GroupRole Role { get; set; }
    public long? InvitedById { get; set; }
    public DateTime CreatedAt { get; set; }
}
