using Classcloud.Web.Courses;
using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces.Pages;

/// <summary>/courses/{id}/environments: members make a workspace in one click; educators publish, rename, switch automatic provisioning and remove.</summary>
public sealed class CourseEnvironmentsPageModel(CourseService courses, CourseEnvironments environments, WorkspaceAccessRules rules) : AppPageModel
{
    public CourseDto Course { get; private set; } = null!;

    public IReadOnlyList<EnvironmentDto> Environments { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name)> Snapshots { get; private set; } = [];

    public Dictionary<long, IReadOnlyList<ProvisionDto>> Provisions { get; } = [];

    public bool IsEducator => Course.MyStatus is "owner" or "coeducator" or "admin";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var course = await courses.GetAsync(Me, id, ct);
        var listed = await environments.ListAsync(id, Me, ct);
        if (!course.Succeeded || !listed.Succeeded)
        {
            return NotFound();
        }
        (Course, Environments) = (course.Value!, listed.Value!);
        if (IsEducator)
        {
            Snapshots = await rules.SnapshotsOfAsync(Me.UserId, ct);
            foreach (var e in Environments)
            {
                Provisions[e.Id] = (await environments.ProvisionsAsync(id, e.Id, Me, ct)).Value ?? [];
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(long id, long environmentId, CancellationToken ct)
    {
        // One click makes and starts it (issue 17): the student lands on a workspace that comes up by itself.
        var created = await environments.CreateWorkspaceAsync(id, environmentId, Me, start: true, ct);
        return created.Succeeded
            ? After(null, L("Your course workspace is being made and started."), $"/workspaces/{created.Value!.Id}")
            : Fail(created.Problem!, $"/courses/{id}/environments");
    }

    public async Task<IActionResult> OnPostPublishAsync(long id, string? name, string? description, long? snapshotId, bool provision, CancellationToken ct)
    {
        var outcome = await environments.PublishAsync(id, Me, new EnvironmentRequest(name, description, snapshotId, provision), ct);
        return After(outcome.Problem, L("The environment was published."), $"/courses/{id}/environments");
    }

    public async Task<IActionResult> OnPostProvisionAsync(long id, long environmentId, string name, string? description, bool provision, CancellationToken ct)
    {
        var outcome = await environments.UpdateAsync(id, environmentId, Me, new EnvironmentRequest(name, description, null, provision), ct);
        return After(outcome.Problem, L("Saved."), $"/courses/{id}/environments");
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, long environmentId, CancellationToken ct) =>
        After(await environments.RemoveAsync(id, environmentId, Me, ct), L("The environment was removed."), $"/courses/{id}/environments");
}
