namespace Classcloud.Web.Workspaces;

/// <summary>
/// Create, edit and load share these settings; unknown enum words are refused with a clear message. <see cref="Start"/>
/// (create only): start it as soon as it exists; false keeps the API's first behaviour, a stopped workspace (issue 17).
/// </summary>
public sealed record WorkspaceRequest(
    string? Name, string? Description, string? Kind, string? Visibility, string? GuestAccess, long? CourseId, long? SnapshotId, bool? Start = null, string? Size = null);

public sealed record LoadRequest(string? Key, string? Name, string? Description, string? Visibility, string? GuestAccess, long? CourseId);

public sealed record StartRequest(long? SnapshotId);

public sealed record ExportRequest(long? SnapshotId, int? ExpiresInDays);

public sealed record CreatedWorkspaceDto(long Id, string State);

public sealed record ExportedKeyDto(long Id, string Key, long SnapshotId, DateTime? ExpiresAt);

public sealed record WorkspaceDto(
    long Id, string Name, string Description, string Kind, string Visibility, string GuestAccess, long? CourseId,
    string State, string? Reason, long? ProgressBytes, long OwnerId, string OwnerName, long? SnapshotId,
    string Relation, bool CanControl, IReadOnlyList<string> Actions, DateTime CreatedAt, DateTime UpdatedAt,
    int? QueuePosition = null, string? QueueReason = null, int? QueueEstimateSeconds = null, DateTime? HandRaisedAt = null);

public sealed record SnapshotDto(long Id, int Number, string Kind, long SizeBytes, string? Digest, DateTime CreatedAt);

public sealed record KeyDto(long Id, long SnapshotId, int SnapshotNumber, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>What the directory shows of a public workspace.</summary>
public sealed record PublicWorkspaceDto(long Id, string Name, string Description, string Kind, string GuestAccess, string State, string OwnerName);

/// <summary>Words of the API and the actions a state offers (seed 000 §3.3.6).</summary>
public static class WorkspaceWords
{
    /// <summary>
    /// The resource key that names a state word on a page: the word itself, but "Restarting" for "restarting"
    /// (resource keys must differ in more than case, and the console's "Restarting" already says it).
    /// </summary>
    public static string StateKey(string state) => state == "restarting" ? "Restarting" : state;

    public static string Of(WorkspaceKind kind) => kind == WorkspaceKind.Desktop ? "desktop" : "terminal";

    public static string Of(WorkspaceVisibility v) => v == WorkspaceVisibility.Public ? "public" : "private";

    public static string Of(GuestAccess g) => g == GuestAccess.Control ? "control" : "view";

    public static string Of(Relation r) => r switch
    {
        Relation.Owner => "owner",
        Relation.Admin => "admin",
        Relation.CourseEducator => "course-educator",
        Relation.CourseMember => "course-member",
        Relation.PublicGuest => "guest",
        _ => "none",
    };

    public static WorkspaceKind? Kind(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "terminal" => WorkspaceKind.Terminal,
        "desktop" => WorkspaceKind.Desktop,
        _ => null,
    };

    public static WorkspaceVisibility? Visibility(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "private" => WorkspaceVisibility.Private,
        "public" => WorkspaceVisibility.Public,
        _ => null,
    };

    public static GuestAccess? Guests(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "view" => Workspaces.GuestAccess.View,
        "control" => Workspaces.GuestAccess.Control,
        _ => null,
    };

    /// <summary>The actions the caller may take now: those the lifecycle allows in the state, and the caller's relation permits.</summary>
    public static IReadOnlyList<string> Actions(WorkspaceAccess access)
    {
        var w = access.Workspace;
        var actions = new List<string>();
        void Offer(WorkspaceAction action, bool permitted)
        {
            if (permitted && WorkspaceLifecycle.Allows(w, action))
            {
                actions.Add(WorkspaceLifecycle.Word(action));
            }
        }
        Offer(WorkspaceAction.Connect, access.CanSee);
        Offer(WorkspaceAction.Start, access.CanOperate);
        Offer(WorkspaceAction.Save, access.CanOperate);
        Offer(WorkspaceAction.Stop, access.CanOperate);
        Offer(WorkspaceAction.Delete, access.CanOperate);
        Offer(WorkspaceAction.Edit, access.CanManage);
        Offer(WorkspaceAction.Export, access.CanManage);
        return actions;
    }
}
