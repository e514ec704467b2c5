using Classcloud.Web.Courses;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Groups;

/// <summary>
/// The caller's relation to a group. Outsiders do not learn that a group exists (404); someone
/// invited may look at it before accepting. Administrators have the owner's rights everywhere.
/// </summary>
public sealed record GroupAccess(Group Group, Caller Caller, GroupRole? Role, bool Invited)
{
    public bool CanSee => Role is not null || Invited || Caller.IsAdmin;

    /// <summary>Managers edit details and invite (seed 002 §2.3).</summary>
    public bool CanManage => Role is GroupRole.Manager or GroupRole.Owner || Caller.IsAdmin;

    public bool IsOwner => Role == GroupRole.Owner || Caller.IsAdmin;

    public string MyRole => Role is { } role ? role.ToString().ToLowerInvariant() : Invited ? "invited" : Caller.IsAdmin ? "admin" : "none";
}
