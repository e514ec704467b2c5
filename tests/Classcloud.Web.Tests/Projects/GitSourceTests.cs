using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Projects;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// Git sources and push-to-deploy without the engine: what URLs are refused, a repository on a loopback Git host
/// (smart HTTP through git http-backend) checked before it is kept, a private one opened only with its deploy key
/// (stored encrypted), and the webhook of each host: signed pushes to the branch queue a build, anything else is
/// refused with the reason.
/// </summary>
public sealed class GitSourceTests : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();
    readonly FakeGitServer git = new();

    public async Task InitializeAsync()
    {
        await git.InitializeAsync();
        host.Configure("Classcloud:PublicUrl", "https://classcloud.example");
        host.Configure("Classcloud:Projects:GitInsecureHosts:0", git.BaseAddress.Authority);
        await host.InitializeAsync();
    }

    [Theory]
    [InlineData("ssh://git@example.com/a/b.git", "Only https")]
    [InlineData("git@example.com:a/b.git", "valid https URL")]
    [InlineData("file:///etc/passwd", "Only https")]
    [InlineData("/srv/repos/b.git", "Only https")]
    [InlineData("http://example.com/a/b.git", "Only https")]
    [InlineData("https://user:pass@example.com/a/b.git", "deploy key")]
    [InlineData("https://127.0.0.1/a/b.git", "this machine")]
    [InlineData("https://169.254.169.254/latest.git", "link-local")]
    public async Task Urls_that_are_not_remote_https_repositories_are_refused(string url, string why)
    {
        var (user, project) = await ProjectAsync();
        var problem = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = url })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_is_checked_before_it_is_kept_and_a_private_one_needs_its_deploy_key()
    {
        var (user, project) = await ProjectAsync();
        var repo = $"site-{Guid.NewGuid():N}"[..12];
        await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "<h1>from git</h1>" });
        var source = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo) })).OkAsync<SourceDto>();
        Assert.Equal((git.Url(repo), "main"), (source.GitUrl, source.Branch));
        Assert.Matches("^[0-9a-f]{40}$", source.Commit);
        var read = await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}")).OkAsync<ProjectDto>();
        Assert.True(read.HasSource);
        Assert.Equal(new GitSourceDto(git.Url(repo), null, false), read.Git);

        var missing = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo), branch = "nope" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no branch nope", missing.Detail, StringComparison.Ordinal);
        await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo), branch = "--upload-pack=x" })).ProblemAsync(HttpStatusCode.BadRequest);

        var secret = $"{repo}-token-5151";
        await git.CreateAsync(repo + "-p", "trunk", new Dictionary<string, string> { ["index.html"] = "private" }, token: secret);
        var refused = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo + "-p") })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("could not be used", refused.Detail, StringComparison.Ordinal);
        Assert.True(git.Refused > 0);
        var opened = await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source",
            new { gitUrl = git.Url(repo + "-p"), branch = "trunk", deployKey = secret })).OkAsync<SourceDto>();
        Assert.Equal("trunk", opened.Branch);
        var stored = await host.WithDbAsync(db => db.Projects.SingleAsync(p => p.Id == project.Id));
        Assert.NotNull(stored.GitDeployKey);
        Assert.DoesNotContain(secret, stored.GitDeployKey, StringComparison.Ordinal);
        var body = await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.Contains("\"hasDeployKey\":true", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_pushes_to_the_branch_queue_a_build_and_everything_else_is_refused()
    {
        var (user, project) = await ProjectAsync();
        var repo = $"hook-{Guid.NewGuid():N}"[..12];
        await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "v1" });
        await (await user.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo), branch = "main" })).StatusAsync(HttpStatusCode.OK);
        var hook = await (await user.Client.GetAsync($"/api/v1/projects/{project.Id}/hook")).OkAsync<HookDto>();
        Assert.Equal(($"https://classcloud.example/api/v1/hooks/git/{project.Id}", true, null), (hook.Url, hook.HasSecret, hook.Secret));
        var secret = (await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/hook", null)).OkAsync<HookDto>()).Secret!;
        Assert.Matches("^[0-9a-f]{64}$", secret);
        using var gitHost = host.NewClient(IPAddress.Parse("192.0.2.77"), cookies: false);
        var path = $"/api/v1/hooks/git/{project.Id}";
        var main = Push("refs/heads/main", "1111111111111111111111111111111111111111");

        // Unsigned, wrongly signed (another secret, or the right HMAC of another body), and a token that is not the secret.
        Assert.Contains("not signed", (await (await gitHost.SendAsync(Request(path, main))).ProblemAsync(HttpStatusCode.Unauthorized)).Detail, StringComparison.Ordinal);
        foreach (var bad in new[]
        {
            Request(path, main, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + Hmac("not-the-secret", main))),
            Request(path, main, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + Hmac(secret, main + " "))),
            Request(path, main, ("X-Gitea-Event", "push"), ("X-Gitea-Signature", "zz" + Hmac(secret, main)[2..])),
            Request(path, main, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", secret[..^1])),
        })
        {
            var refused = await (await gitHost.SendAsync(bad)).ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("does not match", refused.Detail, StringComparison.Ordinal);
        }
        Assert.Equal(0, await Builds(project.Id));

        // GitHub's ping is answered; a push to another branch and other events are refused with the reason.
        using (var ping = await gitHost.SendAsync(Request(path, "{}", ("X-GitHub-Event", "ping"), ("X-Hub-Signature-256", "sha256=" + Hmac(secret, "{}")))))
        {
            Assert.Equal("pong", (await ping.OkAsync<HookReceipt>()).Status);
        }
        var feature = Push("refs/heads/feature", "2222222222222222222222222222222222222222");
        var other = await (await gitHost.SendAsync(Request(path, feature, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + Hmac(secret, feature)))))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("refs/heads/feature", other.Detail, StringComparison.Ordinal);
        Assert.Contains("main", other.Detail, StringComparison.Ordinal);
        var issue = await (await gitHost.SendAsync(Request(path, main, ("X-Gitlab-Event", "Issue Hook"), ("X-Gitlab-Token", secret)))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Only push events", issue.Detail, StringComparison.Ordinal);
        var deleted = Push("refs/heads/main", new string('0', 40));
        await (await gitHost.SendAsync(Request(path, deleted, ("X-Gitea-Event", "push"), ("X-Gitea-Signature", Hmac(secret, deleted))))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await Builds(project.Id));

        // Each host's signed push to main is accepted and a build is queued.
        foreach (var signed in new[]
        {
            Request(path, main, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + Hmac(secret, main))),
            Request(path, main, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", secret)),
            Request(path, main, ("X-Gitea-Event", "push"), ("X-Gitea-Signature", Hmac(secret, main))),
        })
        {
            var before = await Builds(project.Id);
            using var accepted = await gitHost.SendAsync(signed);
            var receipt = await accepted.OkAsync<HookReceipt>(HttpStatusCode.Accepted);
            Assert.Equal("queued", receipt.Status);
            Assert.True(await host.WithDbAsync(db => db.ProjectBuilds.AnyAsync(b => b.Id == receipt.Build!.Id && b.ProjectId == project.Id)));
            Assert.True(await Builds(project.Id) >= Math.Max(before, 1));
        }
        // A project whose source is a ZIP again refuses pushes.
        await (await user.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(ProjectZips.Make(("index.html", "zip"))))).StatusAsync(HttpStatusCode.OK);
        await (await gitHost.SendAsync(Request(path, main, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", secret)))).ProblemAsync(HttpStatusCode.Conflict);
        // A project without a webhook, or none at all, is not found.
        await (await gitHost.SendAsync(Request("/api/v1/hooks/git/99999999", main, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", secret)))).ProblemAsync(HttpStatusCode.NotFound);
    }

    async Task<(TestUser User, ProjectDto Project)> ProjectAsync()
    {
        var user = await host.UserAsync(TestRole.Student);
        var project = await (await user.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("git"), access = "public" })).OkAsync<ProjectDto>(HttpStatusCode.Created);
        return (user, project);
    }

    Task<int> Builds(long projectId) => host.WithDbAsync(db => db.ProjectBuilds.CountAsync(b => b.ProjectId == projectId));

    /// <summary>The part of a push payload the three hosts share (GitLab names the default branch under project).</summary>
    static string Push(string @ref, string after) =>
        $$$"""{"ref":"{{{@ref}}}","before":"0000000000000000000000000000000000000001","after":"{{{after}}}","repository":{"default_branch":"main"},"project":{"default_branch":"main"}}""";

    static string Hmac(string secret, string body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    static HttpRequestMessage Request(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return request;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await git.DisposeAsync();
    }

    public void Dispose() => host.Dispose();
}
