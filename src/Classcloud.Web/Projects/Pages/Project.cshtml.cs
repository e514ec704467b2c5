using Classcloud.Web.Courses.Pages;
using Microsoft.AspNetCore.Mvc;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Pages;

/// <summary>One project: its address, source upload, deploy, the last build's log, revisions with rollback, scaling and variables.</summary>
public sealed class ProjectModel(ProjectService projects, ProjectOperations operations) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public ProjectDto? Project { get; private set; }

    public IReadOnlyList<RevisionDto> Revisions { get; private set; } = [];

    public string Log { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var outcome = await projects.GetAsync(Id, Me, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        Project = outcome.Value!;
        Revisions = (await operations.RevisionsAsync(Id, Me, ct)).Value ?? [];
        if (Project.LastBuild is { } last && (await operations.BuildAsync(Id, last.Id, Me, ct)) is { Succeeded: true } build)
        {
            Log = build.Value.Live ?? build.Value.Build.Log;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        var outcome = await operations.UploadAsync(Id, Me, Request, ct);
        return After(outcome.Problem, outcome.Succeeded ? L("Source uploaded ({0} files). {1}", outcome.Value!.Files, outcome.Value.Explanation) : "", Back);
    }

    public async Task<IActionResult> OnPostDeployAsync(CancellationToken ct) =>
        After((await operations.DeployAsync(Id, Me, ct)).Problem, L("Building; the log below fills as it goes."), Back);

    public async Task<IActionResult> OnPostRollbackAsync(int rev, CancellationToken ct) =>
        After((await operations.RollbackAsync(Id, rev, Me, ct)).Problem, L("Revision {0} runs now.", rev), Back);

    public async Task<IActionResult> OnPostScalingAsync(int minInstances, int idleMinutes, CancellationToken ct) =>
        After((await operations.ScalingAsync(Id, Me, new ScalingRequest(minInstances, null, null, idleMinutes), ct)).Problem, L("Saved."), Back);

    public async Task<IActionResult> OnPostSetAsync(string variableName, string? variableValue, CancellationToken ct) =>
        After((await operations.EnvironmentAsync(Id, Me, new EnvironmentRequest(new() { [variableName.Trim()] = variableValue ?? "" }), ct)).Problem, L("Saved."), Back);

    public async Task<IActionResult> OnPostUnsetAsync(string name, CancellationToken ct) =>
        After((await operations.EnvironmentAsync(Id, Me, new EnvironmentRequest(new() { [name] = null }), ct)).Problem, L("Saved."), Back);

    string Back => $"/projects/{Id}";
}
