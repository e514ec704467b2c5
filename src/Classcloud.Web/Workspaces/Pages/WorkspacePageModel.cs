using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>What the workspace pages share with the course pages (flash messages, the caller), plus the action buttons' handler.</summary>
public abstract class WorkspacePageModel : AppPageModel
{
    /// <summary>start, stop, save, delete from a button; the service checks permission and state again.</summary>
    protected async Task<IActionResult> ActAsync(WorkspaceActions workspaces, long id, string? action, long? snapshotId, string back, CancellationToken ct)
    {
        WorkspaceJobKind? kind = action switch
        {
            "start" => WorkspaceJobKind.Start,
            "stop" => WorkspaceJobKind.Stop,
            "save" => WorkspaceJobKind.Save,
            "delete" => WorkspaceJobKind.Delete,
            _ => null,
        };
        if (kind is null)
        {
            return BadRequest();
        }
        var problem = await workspaces.ActAsync(id, Me, kind.Value, snapshotId, ct);
        var message = kind switch
        {
            WorkspaceJobKind.Start => L("Starting the workspace."),
            WorkspaceJobKind.Stop => L("Stopping the workspace."),
            WorkspaceJobKind.Save => L("Saving the workspace; this can take a minute."),
            _ => L("Deleting the workspace."),
        };
        return After(problem, message, kind == WorkspaceJobKind.Delete && problem is null ? "/workspaces" : back);
    }
}

/// <summary>The settings form of the create, edit and load pages.</summary>
public sealed class WorkspaceForm
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string Kind { get; set; } = "terminal";
    public string Visibility { get; set; } = "private";
    public string GuestAccess { get; set; } = "view";
    public long? CourseId { get; set; }
    public long? SnapshotId { get; set; }
    public string? Key { get; set; }
    public string? Size { get; set; }

    public WorkspaceRequest ToRequest() => new(Name, Description, Kind, Visibility, GuestAccess, CourseId, SnapshotId, Size: Size);

    public static WorkspaceForm From(WorkspaceDto w) => new()
    {
        Name = w.Name,
        Description = w.Description,
        Kind = w.Kind,
        Visibility = w.Visibility,
        GuestAccess = w.GuestAccess,
        CourseId = w.CourseId,
    };
}
