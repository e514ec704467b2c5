using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Projects;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// Push-to-deploy on the real engine and registry: a project whose source is a repository on a loopback Git host
/// is cloned, built and served; a new commit and GitHub's signed push event build and serve it without anyone
/// pressing deploy.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ProjectGitEngineTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();
    readonly FakeGitServer git = new();
    readonly string scope = $"g-{Guid.NewGuid():N}"[..14];

    public async Task InitializeAsync()
    {
        await AppBaseImage.EnsureAsync(engine.Platform);
        await git.InitializeAsync();
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
            ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.500",
            ["Classcloud:Projects:StaticImage"] = AppBaseImage.Name,
            ["Classcloud:Projects:GitInsecureHosts:0"] = git.BaseAddress.Authority,
        })
        {
            host.Configure(key, value);
        }
        await host.InitializeAsync();
    }

    [Fact]
    public async Task A_git_project_deploys_and_a_signed_push_deploys_the_new_commit()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var repo = $"web-{Guid.NewGuid():N}"[..12];
        var first = await git.CreateAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "<h1>version one</h1>" });
        var project = await (await owner.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("gitweb"), access = "public" }))
            .OkAsync<ProjectDto>(HttpStatusCode.Created);
        var source = await (await owner.Client.PostAsJsonAsync($"/api/v1/projects/{project.Id}/source", new { gitUrl = git.Url(repo), branch = "main" })).OkAsync<SourceDto>();
        Assert.Equal(first, source.Commit);
        var build = await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/deploy", null)).OkAsync<BuildDto>(HttpStatusCode.Accepted);
        var log = await FollowAsync(owner, project.Id, build.Id);
        Assert.Contains($"Commit {first}", log, StringComparison.Ordinal);
        Assert.Contains("Template static", log, StringComparison.Ordinal);
        using var visitor = host.NewClient();
        Assert.Contains("version one", await visitor.GetStringAsync(project.Url), StringComparison.Ordinal);

        var second = await git.CommitAsync(repo, "main", new Dictionary<string, string> { ["index.html"] = "<h1>version two</h1>" }, "second");
        var secret = (await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/hook", null)).OkAsync<HookDto>()).Secret!;
        var payload = $$$"""{"ref":"refs/heads/main","after":"{{{second}}}","repository":{"default_branch":"main"}}""";
        using var push = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hooks/git/{project.Id}") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        push.Headers.Add("X-GitHub-Event", "push");
        push.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload))));
        using var gitHost = host.NewClient(IPAddress.Parse("192.0.2.78"), cookies: false);
        var receipt = await (await gitHost.SendAsync(push)).OkAsync<HookReceipt>(HttpStatusCode.Accepted);
        var pushedLog = await FollowAsync(owner, project.Id, receipt.Build!.Id);
        Assert.Contains($"Commit {second}", pushedLog, StringComparison.Ordinal);
        Assert.Contains("version two", await visitor.GetStringAsync(project.Url), StringComparison.Ordinal);
        var revisions = await (await owner.Client.GetAsync($"/api/v1/projects/{project.Id}/revisions")).OkAsync<List<RevisionDto>>();
        Assert.Equal([2, 1], revisions.Select(r => r.Number));
    }

    /// <summary>Follows a build's log to its end; fails with the log unless the build succeeded.</summary>
    static async Task<string> FollowAsync(TestUser owner, long projectId, long buildId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var log = await owner.Client.GetStringAsync($"/api/v1/projects/{projectId}/builds/{buildId}/log?follow=true", timeout.Token);
        var after = await (await owner.Client.GetAsync($"/api/v1/projects/{projectId}")).OkAsync<ProjectDto>();
        Assert.True(after.LastBuild?.Id == buildId && after.LastBuild.Status == BuildStates.Succeeded, $"Build {buildId} {after.LastBuild?.Status}:\n{log}");
        return log;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await git.DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(engine.Platform, scope);
    }

    public void Dispose() => host.Dispose();
}
