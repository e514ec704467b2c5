namespace Classcloud.Web.Workspaces;

/// <summary>Create, edit and load share these settings; unknown enum words are refused with a clear message.</summary>
public sealed record WorkspaceRequest(
    string? Name, string? Description, string? Kind, string? Visibility, string? GuestAccess, long? CourseId, long? SnapshotId);

public sealed record LoadRequest(string? Key, string? Name, string? Description, string? Visibility, string? GuestAccess, long? CourseId);

public sealed record StartRequest(long? SnapshotId);

public sealed record ExportRequest(long? SnapshotId, int? ExpiresInDays);

public sealed record CreatedWorkspaceDto(long Id, string State);

public sealed record ExportedKeyDto(long Id, string Key, long SnapshotId, DateTime? ExpiresAt);

public sealed record WorkspaceDto(
    long Id, string Name, string Description, string Kind, string Visibility, string GuestAccess, long? CourseId,
    string State, string? Reason, long? ProgressBytes, long OwnerId, string OwnerName, long? SnapshotId,
    string Relation, bool CanControl, IReadOnlyList<string> Actions, DateTime CreatedAt, DateTime UpdatedAt,
    int? QueuePosition = null);

public sealed record SnapshotDto(long Id, int Number, string Kind, long SizeBytes, string? Digest, DateTime CreatedAt);

public sealed record KeyDto(long Id, long SnapshotId, int SnapshotNumber, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

/// <summary>What the directory shows of a public workspace.</summary>
public sealed record PublicWorkspaceDto(long Id, string Name, string Description, string Kind, string GuestAccess, string State, string OwnerName);

/// <summary>Words of the API and the actions a state offers (seed 000 §3.3.6).</summary>
public static class WorkspaceWords
{
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

    /// <summary>The actions the caller may take now: only those that can work in the state.</summary>
    public static IReadOnlyList<string> Actions(WorkspaceAccess access)
    {
        var w = access.Workspace;
        var actions = new List<string>();
        if (w.State is WorkspaceStates.Running or WorkspaceStates.Suspended && access.CanSee)
        {
            actions.Add("connect");
        }
        if (access.CanOperate)
        {
            switch (w.State)
            {
                case WorkspaceStates.Stopped:
                    actions.AddRange(["start", "save"]);
                    break;
                case WorkspaceStates.Running or WorkspaceStates.Suspended:
                    actions.Add("stop");
                    break;
                case WorkspaceStates.Starting when !w.Deleting && (w.QueuedAt is not null
                    || w.Reason?.StartsWith(WorkspaceStateWatcher.RestartingReason, StringComparison.Ordinal) == true):
                    actions.Add("stop"); // leave the capacity queue, or stop one the controller is restarting
                    break;
                case WorkspaceStates.Error when !w.Deleting:
                    actions.Add("start");
                    break;
            }
            if (w.State is WorkspaceStates.Stopped or WorkspaceStates.Error)
            {
                actions.Add("delete");
            }
        }
        if (access.CanManage && w.State is WorkspaceStates.Stopped or WorkspaceStates.Error && !w.Deleting)
        {
            actions.Add("edit");
            if (w.State == WorkspaceStates.Stopped)
            {
                actions.Add("export");
            }
        }
        return actions;
    }
}
