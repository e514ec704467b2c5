using Classcloud.Web.Hosting;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Classcloud.Web.Projects.Pages;

/// <summary>
/// One project: its address, source (ZIP or Git), the push webhook, deploy, the last build's log, revisions with
/// rollback, scaling and variables. A form with mistakes comes back as the page itself with each error beside its
/// field and the values kept; a new webhook secret is shown in that answer only (never redirected through
/// TempData, so it is in no cookie and a reload does not show it again).
/// </summary>
public sealed class ProjectModel(ProjectService projects, ProjectOperations operations, GitSources git) : AppPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public ProjectDto? Project { get; private set; }

    public IReadOnlyList<RevisionDto> Revisions { get; private set; } = [];

    public string Log { get; private set; } = "";

    public HookDto? Hook { get; private set; }

    /// <summary>A webhook secret just made: shown once, in this answer.</summary>
    public string? NewSecret { get; private set; }

    /// <summary>The values a form was posted with, shown again beside its errors.</summary>
    public GitForm? Git { get; private set; }

    public ScalingForm? Scaling { get; private set; }

    /// <summary>Each field's errors (keys as in the API's JSON), shown under its input.</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    public string? ErrorOf(string field) => FieldErrors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken ct)
    {
        var outcome = await operations.UploadAsync(Id, Me, Request, ct);
        return After(outcome.Problem, outcome.Succeeded ? L("Source uploaded ({0} files). {1}", outcome.Value!.Files, outcome.Value.Explanation) : "", Back);
    }

    public async Task<IActionResult> OnPostGitAsync(GitForm form, CancellationToken ct)
    {
        // An empty key field keeps the key given before; the box removes it (a private repository then refuses).
        var key = form.RemoveKey ? "" : string.IsNullOrEmpty(form.DeployKey) ? null : form.DeployKey;
        var user = string.IsNullOrWhiteSpace(form.DeployUser) ? null : form.DeployUser.Trim();
        var outcome = await git.SetAsync(Id, Me, new GitSourceRequest(form.GitUrl, form.Branch, key, user), ct);
        if (!outcome.Succeeded)
        {
            return await RefusedAsync(outcome.Problem!, () => Git = form with { DeployKey = null }, ct);
        }
        var done = outcome.Value!;
        if (done.HookSecret is { } secret)
        {
            NewSecret = secret;
            return await LoadAsync(ct) ? Page() : NotFound();
        }
        return After(null, L("Repository set: branch {0} at {1}.", done.Branch ?? "", done.Commit?[..Math.Min(12, done.Commit.Length)] ?? ""), Back);
    }

    /// <summary>A new webhook secret: the old one stops working at once (the page asks first).</summary>
    public async Task<IActionResult> OnPostHookAsync(CancellationToken ct)
    {
        var outcome = await git.HookAsync(Id, Me, renew: true, ct);
        if (!outcome.Succeeded)
        {
            return Fail(outcome.Problem!, Back);
        }
        NewSecret = outcome.Value!.Secret;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeployAsync(CancellationToken ct) =>
        After((await operations.DeployAsync(Id, Me, ct)).Problem, L("Building; the log below fills as it goes."), Back);

    public async Task<IActionResult> OnPostRollbackAsync(int rev, CancellationToken ct) =>
        After((await operations.RollbackAsync(Id, rev, Me, ct)).Problem, L("Revision {0} runs now.", rev), Back);

    public async Task<IActionResult> OnPostScalingAsync(ScalingForm form, CancellationToken ct)
    {
        // A field left empty or not a number is refused here: the API's "keep the current value" is not what a form means.
        var empty = new Accounts.FieldErrors();
        foreach (var (field, value) in new[] { ("minInstances", form.MinInstances), ("maxInstances", form.MaxInstances), ("targetConcurrency", form.TargetConcurrency), ("idleMinutes", form.IdleMinutes) })
        {
            empty.Add(field, value is null ? Problem.BadRequest("Enter a whole number.") : null);
        }
        var outcome = empty.ToProblem() is { } missing ? missing
            : (await operations.ScalingAsync(Id, Me, new ScalingRequest(form.MinInstances, form.MaxInstances, form.TargetConcurrency, form.IdleMinutes), ct)).Problem;
        return outcome is null ? After(null, L("Saved."), Back) : await RefusedAsync(outcome, () => Scaling = form, ct);
    }

    public async Task<IActionResult> OnPostSetAsync(string variableName, string? variableValue, CancellationToken ct) =>
        After((await operations.EnvironmentAsync(Id, Me, new EnvironmentRequest(new() { [variableName.Trim()] = variableValue ?? "" }), ct)).Problem, L("Saved."), Back);

    public async Task<IActionResult> OnPostUnsetAsync(string name, CancellationToken ct) =>
        After((await operations.EnvironmentAsync(Id, Me, new EnvironmentRequest(new() { [name] = null }), ct)).Problem, L("Saved."), Back);

    /// <summary>Field mistakes: the page again with each beside its input; anything else: back with the reason.</summary>
    async Task<IActionResult> RefusedAsync(Problem problem, Action keep, CancellationToken ct)
    {
        if (problem.Errors is not { Count: > 0 } errors)
        {
            return Fail(problem, Back);
        }
        FieldErrors = errors;
        keep();
        Error = L("Correct the fields marked below.");
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    async Task<bool> LoadAsync(CancellationToken ct)
    {
        var outcome = await projects.GetAsync(Id, Me, ct);
        if (!outcome.Succeeded)
        {
            return false;
        }
        Project = outcome.Value!;
        Revisions = (await operations.RevisionsAsync(Id, Me, ct)).Value ?? [];
        Hook = (await git.HookAsync(Id, Me, renew: false, ct)).Value;
        if (Project.LastBuild is { } last && (await operations.BuildAsync(Id, last.Id, Me, ct)) is { Succeeded: true } build)
        {
            Log = build.Value.Live ?? build.Value.Build.Log;
        }
        return true;
    }

    string Back => $"/projects/{Id}";
}

/// <summary>The Git source form: the key is never sent back to the browser.</summary>
public sealed record GitForm(string? GitUrl, string? Branch, string? DeployKey, string? DeployUser, bool RemoveKey);

/// <summary>The scaling form: null is a field left empty or not a number.</summary>
public sealed record ScalingForm(int? MinInstances, int? MaxInstances, int? TargetConcurrency, int? IdleMinutes);
