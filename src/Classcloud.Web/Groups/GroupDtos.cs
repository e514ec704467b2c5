using Classcloud.Web.Courses;

namespace Classcloud.Web.Groups;

public sealed record GroupRequest(string? Name, string? Description, string? Kind);
public sealed record InvitationRequest(string? Email, string? Role);
public sealed record RoleRequest(string? Role);

public sealed record GroupMemberDto(UserRef User, string Role, DateTime JoinedAt);

public sealed record GroupInvitationDto(long Id, long GroupId, string GroupName, string Email, string Role, DateTime CreatedAt);

/// <summary>MyRole is owner, manager, member, invited, admin or none; invitations are listed for owners and managers.</summary>
public sealed record GroupDto(
    long Id, string Name, string Description, string Kind, string MyRole, IReadOnlyList<GroupMemberDto> Members,
    IReadOnlyList<GroupInvitationDto> Invitations, DateTime CreatedAt);

public sealed record GroupSummaryDto(long Id, string Name, string Description, string Kind, string MyRole, int MemberCount, DateTime CreatedAt);
