using System.Text.Json;
using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Projects.Deploy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Git;

/// <summary>What a webhook call did: a queued build, or GitHub's ping answered.</summary>
public sealed record HookReceipt(string Status, BuildDto? Build);

/// <summary>
/// Push-to-deploy: <c>POST /api/v1/hooks/git/{projectId}</c> takes GitHub, GitLab and Gitea push events. No
/// sign-in: the signature made with the project's secret is the proof, checked before the body is even parsed.
/// A push to the project's branch queues a build (one waiting build at most: it clones the branch as it is when
/// it starts, so pushes in a row need only one).
/// </summary>
public sealed class GitHooks(
    ClasscloudDb db, BuildQueue queue, AuditLog audit, IDataProtectionProvider protection, IStringLocalizer<SharedResource> t, TimeProvider time,
    ILogger<GitHooks> log)
{
    public const string SecretPurpose = "Classcloud.Projects.HookSecret";

    /// <summary>GitHub caps a payload at 25 MB; a push of many commits stays far below this.</summary>
    const int MaxBody = 5 * 1024 * 1024;

    public async Task<Outcome<HookReceipt>> ReceiveAsync(long projectId, HttpRequest request, CancellationToken ct)
    {
        var body = await ReadAsync(request, ct);
        if (body is null)
        {
            return new Problem(StatusCodes.Status413PayloadTooLarge, "The webhook payload is larger than {0} MB.", MaxBody / (1024 * 1024));
        }
        var (host, name) = HookSignatures.Identify(request.Headers);
        if (host is null)
        {
            return Problem.Unauthorized("The call is not signed: send X-Hub-Signature-256 (GitHub), X-Gitlab-Token (GitLab) or X-Gitea-Signature (Gitea).");
        }
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, ct);
        if (project?.HookSecret is null)
        {
            return Problem.NotFound("There is no such webhook.");
        }
        if (!HookSignatures.Verify(host.Value, request.Headers, body, protection.CreateProtector(SecretPurpose).Unprotect(project.HookSecret)))
        {
            log.LogWarning("A {Host} webhook call for project {Project} from {Address} had a bad signature", host, projectId, request.HttpContext.Connection.RemoteIpAddress);
            return Problem.Unauthorized("The signature does not match this project's webhook secret.");
        }
        if (host == GitHost.GitHub && name == "ping")
        {
            return new HookReceipt("pong", null);
        }
        if (!HookSignatures.IsPush(host.Value, name))
        {
            return Unprocessable(t["Only push events deploy; this was {0}.", string.IsNullOrEmpty(name) ? "?" : name]);
        }
        if (Push.Parse(body) is not { } push)
        {
            return Problem.BadRequest("The push payload is not the JSON of a push event.");
        }
        if (project.GitUrl is null)
        {
            return Problem.Conflict("This project deploys an uploaded ZIP; set a Git repository to deploy on push.");
        }
        var branch = project.GitBranch ?? push.DefaultBranch;
        if (branch is null || push.Ref != "refs/heads/" + branch)
        {
            return Unprocessable(t["The push was to {0}; this project deploys the branch {1}.", push.Ref ?? "?", branch ?? "?"]);
        }
        if (push.After is null || push.After.All(c => c == '0'))
        {
            return Unprocessable(t["The branch was deleted by this push; there is nothing to deploy."]);
        }
        return new HookReceipt("queued", await QueueAsync(project, host.Value, push.After, ct));
    }

    async Task<BuildDto> QueueAsync(Project project, GitHost host, string commit, CancellationToken ct)
    {
        var waiting = await db.ProjectBuilds.Where(b => b.ProjectId == project.Id && b.Status == BuildStates.Queued).OrderBy(b => b.Id).FirstOrDefaultAsync(ct);
        if (waiting is null)
        {
            waiting = new ProjectBuild { ProjectId = project.Id, RequestedById = project.OwnerId, Commit = commit, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.ProjectBuilds.Add(waiting);
            audit.Record("project.deploy.push", $"project:{project.Id}", $"{host} {commit}");
            await db.SaveChangesAsync(ct);
            queue.Enqueue(waiting.Id);
        }
        return new BuildDto(waiting.Id, waiting.Status, null, null, null, waiting.CreatedAt, null, waiting.Commit);
    }

    static Problem Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);

    /// <summary>The body's bytes exactly as sent (the signature covers them); null when larger than the limit.</summary>
    static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBody)
        {
            return null;
        }
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > MaxBody)
            {
                return null;
            }
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }

    /// <summary>The fields the three hosts share: <c>ref</c>, <c>after</c>, and the default branch (<c>repository</c> on GitHub and Gitea, <c>project</c> on GitLab).</summary>
    sealed record Push(string? Ref, string? After, string? DefaultBranch)
    {
        public static Push? Parse(byte[] body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }
                string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var owner = root.TryGetProperty("repository", out var repository) && Text(repository, "default_branch") is not null ? repository
                    : root.TryGetProperty("project", out var gitlab) ? gitlab : default;
                return new Push(Text(root, "ref"), Text(root, "after"), Text(owner, "default_branch"));
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
