using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Git;

/// <summary>A project's managers set its Git repository and read or renew its push webhook.</summary>
public sealed partial class GitSources(
    ClasscloudDb db, ProjectService projects, GitCloner git, AuditLog audit, IDataProtectionProvider protection, IOptions<ProjectsOptions> options,
    IOptions<ClasscloudOptions> platform, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    public const string HookPath = "/api/v1/hooks/git/";

    /// <summary>The JSON body of <c>POST …/source</c>, read only once the caller is known to manage the project.</summary>
    public async Task<Outcome<SourceDto>> SetAsync(long id, Caller caller, HttpRequest request, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        GitSourceRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<GitSourceRequest>(ct);
        }
        catch (JsonException)
        {
            return Problem.BadRequest("The body is not valid JSON: send {\"gitUrl\": …, \"branch\": …}.");
        }
        return await SetAsync(opened.Value!, body ?? new GitSourceRequest(null, null, null, null), ct);
    }

    /// <summary>The source form of the project page.</summary>
    public async Task<Outcome<SourceDto>> SetAsync(long id, Caller caller, GitSourceRequest body, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        return opened.Succeeded ? await SetAsync(opened.Value!, body, ct) : opened.Problem!;
    }

    /// <summary>
    /// Checks the repository answers (and has the branch) before keeping it, so a mistake shows now and not at the
    /// first build. The webhook secret made for a first repository is in this answer only.
    /// </summary>
    async Task<Outcome<SourceDto>> SetAsync(Project project, GitSourceRequest body, CancellationToken ct)
    {
        var id = project.Id;
        var url = body.GitUrl?.Trim();
        var branch = string.IsNullOrWhiteSpace(body.Branch) ? null : body.Branch.Trim();
        var errors = new FieldErrors();
        errors.Add("gitUrl", GitRules.CheckUrl(url, options.Value.GitInsecureHosts) is { } badUrl ? Problem.BadRequest(badUrl) : null);
        errors.Add("branch", GitRules.CheckBranch(branch) is { } badBranch ? Problem.BadRequest(badBranch) : null);
        errors.Add("deployKey", body.DeployKey is { Length: > GitRules.MaxDeployKey }
            ? Problem.BadRequest("A deploy key is at most {0} characters.", GitRules.MaxDeployKey) : null);
        errors.Add("deployUser", body.DeployUser is { } u && !UserPattern().IsMatch(u)
            ? Problem.BadRequest("A deploy key's user name is letters, digits and . _ @ + -.") : null);
        if (errors.ToProblem() is { } bad)
        {
            return bad;
        }
        // No key in the request keeps the one given before for the same repository; an empty key removes it.
        var key = body.DeployKey switch
        {
            null => url == project.GitUrl ? project.GitDeployKey : null,
            "" => null,
            var k => protection.CreateProtector(WorkloadDefinition.SecretPurpose).Protect(k),
        };
        var user = body.DeployUser ?? (body.DeployKey is null && url == project.GitUrl ? project.GitDeployUser : null);
        (string Branch, string Commit) probed;
        try
        {
            probed = await git.ProbeAsync(url!, branch, user, key, ct);
        }
        catch (GitSourceException ex)
        {
            var problem = Problem.BadRequest("The repository could not be used: {0}", ex.Message);
            return problem with { Errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { [branch is not null && ex.Message.Contains("no branch", StringComparison.Ordinal) ? "branch" : "gitUrl"] = [problem.Detail] } };
        }
        (project.GitUrl, project.GitBranch, project.GitDeployKey, project.GitDeployUser) = (url, branch, key, user);
        string? secret = null;
        if (project.HookSecret is null)
        {
            secret = NewSecret();
            project.HookSecret = Protector.Protect(secret);
        }
        project.SourceUploadedAt = project.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record("project.source.git", $"project:{id}", url);
        await db.SaveChangesAsync(ct);
        return new SourceDto(0, 0, null, t["The repository is cloned at each build; the template is detected then."], url, probed.Branch, probed.Commit)
        {
            HookSecret = secret,
        };
    }

    /// <summary>The webhook's address; with <paramref name="renew"/> a new secret, shown in this answer only.</summary>
    public async Task<Outcome<HookDto>> HookAsync(long id, Caller caller, bool renew, CancellationToken ct)
    {
        var opened = await projects.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var project = opened.Value!;
        string? secret = null;
        if (renew)
        {
            secret = NewSecret();
            project.HookSecret = Protector.Protect(secret);
            project.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Record("project.hook.secret", $"project:{id}");
            await db.SaveChangesAsync(ct);
        }
        var url = $"{(platform.Value.PublicUrl ?? "").TrimEnd('/')}{HookPath}{id}";
        return new HookDto(url, project.GitBranch, project.HookSecret is not null, secret);
    }

    IDataProtector Protector => protection.CreateProtector(GitHooks.SecretPurpose);

    static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [GeneratedRegex("^[A-Za-z0-9._@+-]{1,100}$")]
    private static partial Regex UserPattern();
}
