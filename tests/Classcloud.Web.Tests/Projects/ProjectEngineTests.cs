using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Projects;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// Issue 14's slice on the real engine and registry: a ZIP is built into a revision, pushed, run on its owner's
/// tenant network and answered through the apps gateway; it scales to zero when idle and the next request is
/// held until it answers again; platform cookies never reach the app; a private app refuses strangers and lets
/// its owner in through the sign-in handshake.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ProjectEngineTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();
    readonly string scope = $"p-{Guid.NewGuid():N}"[..14];
    IContainerPlatform Engine => engine.Platform;

    public async Task InitializeAsync()
    {
        await AppBaseImage.EnsureAsync(Engine);
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Classcloud:PublicUrl"] = "https://localhost",
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
            ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.500",
            ["Classcloud:Projects:StaticImage"] = AppBaseImage.Name,
            ["Classcloud:Projects:IdleCheckInterval"] = "00:00:00.500",
            ["Classcloud:Projects:IdleWindowOverride"] = "00:00:04",
        })
        {
            host.Configure(key, value);
        }
        await host.InitializeAsync();
    }

    [Fact]
    public async Task A_static_zip_deploys_answers_scales_to_zero_and_wakes_on_the_next_request()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var name = ProjectZips.Name("site");
        var project = await CreateAsync(owner, name, "public");
        Assert.Equal($"http://{name}.apps.localhost/", project.Url);
        var zip = ProjectZips.Make(("site/index.html", "<h1>hello from a project</h1>"), ("site/about/index.html", "about"));
        await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(zip))).StatusAsync(HttpStatusCode.OK);
        var log = await DeployAsync(owner, project.Id);
        Assert.Contains("Template static", log, StringComparison.Ordinal);
        Assert.Contains($"FROM {AppBaseImage.Name}", log, StringComparison.Ordinal);

        var revisions = await (await owner.Client.GetAsync($"/api/v1/projects/{project.Id}/revisions")).OkAsync<List<RevisionDto>>();
        var revision = Assert.Single(revisions);
        Assert.Equal((1, true), (revision.Number, revision.Current));
        Assert.StartsWith("sha256:", revision.Digest, StringComparison.Ordinal);
        Assert.StartsWith($"127.0.0.1:5000/classcloud/app/{owner.Id}/{scope}-{name}:r1", revision.Image, StringComparison.Ordinal);
        Assert.True(await host.Services.GetRequiredService<RegistryClient>().ExistsAsync(revision.Image, CancellationToken.None));

        using var visitor = host.NewClient();
        Assert.Contains("hello from a project", await GetTextAsync(visitor, $"{project.Url}"), StringComparison.Ordinal);
        Assert.Equal("about", (await GetTextAsync(visitor, $"{project.Url}about/")).Trim());
        var workload = new WorkloadId($"{scope}-app-{project.Id}");
        var row = await host.WithDbAsync(db => db.Workloads.SingleAsync(w => w.Id == workload.Value));
        Assert.Equal(("app", owner.Id, $"{scope}-user-{owner.Id}"), (row.Kind, row.OwnerId!.Value, row.Tenant!));

        // Idle for the window: the scaler stops it (the container stays for a fast start).
        var zero = await UntilAsync(async () => (await Engine.GetAsync(workload, CancellationToken.None))?.Running == 0, 60);
        Assert.True(zero, "The idle project was not scaled to zero");
        Assert.Equal(WorkloadStates.Stopped, (await host.WithDbAsync(db => db.Workloads.SingleAsync(w => w.Id == workload.Value))).DesiredState);

        // The next request is held while it starts, then answered.
        var clock = Stopwatch.StartNew();
        Assert.Contains("hello from a project", await GetTextAsync(visitor, project.Url), StringComparison.Ordinal);
        var coldStart = clock.Elapsed;
        Assert.Equal(1, (await Engine.GetAsync(workload, CancellationToken.None))!.Running);
        Assert.True(coldStart < TimeSpan.FromSeconds(30), $"cold start took {coldStart}");

        // A second deploy is revision 2; rolling back runs revision 1 again.
        await DeployAsync(owner, project.Id);
        var rolled = await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/revisions/1/rollback", null)).OkAsync<ProjectDto>();
        Assert.Equal(1, rolled.Revision);
        Assert.Contains("hello from a project", await GetTextAsync(visitor, project.Url), StringComparison.Ordinal);

        await (await owner.Client.DeleteAsync($"/api/v1/projects/{project.Id}")).StatusAsync(HttpStatusCode.NoContent);
        Assert.Null(await Engine.GetAsync(workload, CancellationToken.None));
        using var gone = await visitor.GetAsync(project.Url);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Platform_cookies_never_reach_the_app_and_a_private_app_lets_only_its_owner_in()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var stranger = await host.UserAsync(TestRole.Student);
        var name = ProjectZips.Name("echo");
        var project = await CreateAsync(owner, name, "public");
        // A Dockerfile of the project's own: busybox httpd runs a CGI script that prints what it received.
        var zip = ProjectZips.Make(
            ("Dockerfile", $"FROM {AppBaseImage.Name}\nCOPY cgi-bin /srv/www/cgi-bin\nRUN chmod 755 /srv/www/cgi-bin/echo\nUSER 1000\nCMD [\"busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/srv/www\"]\n"),
            ("cgi-bin/echo", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\nenv | sort\n"));
        await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(zip))).StatusAsync(HttpStatusCode.OK);
        await (await owner.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/env",
            new { variables = new Dictionary<string, string> { ["GREETING"] = "hello-secret-77" } })).StatusAsync(HttpStatusCode.OK);
        Assert.Contains("Template dockerfile", await DeployAsync(owner, project.Id), StringComparison.Ordinal);

        var echo = $"{project.Url}cgi-bin/echo";
        using var browser = host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, echo);
        request.Headers.Add("Cookie", "classcloud.auth=PLATFORM-SESSION; .AspNetCore.Culture=c%3Dko; classcloud_app=X; theme=dark");
        using var response = await browser.SendAsync(request);
        var seen = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, seen);
        Assert.Contains("HTTP_COOKIE=theme=dark\n", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("PLATFORM-SESSION", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("AspNetCore", seen, StringComparison.Ordinal);
        Assert.Contains($"HTTP_HOST={name}.apps.localhost\n", seen, StringComparison.Ordinal);
        Assert.Contains("GREETING=hello-secret-77\n", seen, StringComparison.Ordinal);
        Assert.Contains("PORT=8080\n", seen, StringComparison.Ordinal);

        // Private: strangers and anonymous visitors are refused; a browser is sent to sign in.
        await (await owner.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}", new { access = "private" })).StatusAsync(HttpStatusCode.OK);
        using (var anonymous = await browser.GetAsync(echo))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var page = new HttpRequestMessage(HttpMethod.Get, echo))
        {
            page.Headers.Accept.ParseAdd("text/html");
            using var redirected = await browser.SendAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal($"https://localhost/apps/{name}/open?return=%2Fcgi-bin%2Fecho", redirected.Headers.Location!.ToString());
        }
        using (var refused = await stranger.Client.GetAsync($"/apps/{name}/open?return=/cgi-bin/echo"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using var handshake = await owner.Client.GetAsync($"/apps/{name}/open?return=/cgi-bin/echo");
        Assert.Equal(HttpStatusCode.Redirect, handshake.StatusCode);
        var ticketUrl = handshake.Headers.Location!;
        Assert.StartsWith($"http://{name}.apps.localhost/.classcloud/session?ticket=", ticketUrl.ToString(), StringComparison.Ordinal);
        using var app = host.NewClient();
        using var session = await app.GetAsync(ticketUrl);
        Assert.Equal(HttpStatusCode.Redirect, session.StatusCode);
        Assert.Equal("/cgi-bin/echo", session.Headers.Location!.ToString());
        var inside = await GetTextAsync(app, echo);
        Assert.Contains("GREETING=hello-secret-77", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("classcloud_app", inside, StringComparison.Ordinal);
        // The app cookie is for this app only: it does not open another's private app, and a forged one is refused.
        using var forged = new HttpRequestMessage(HttpMethod.Get, echo);
        forged.Headers.Add("Cookie", "classcloud_app=forged");
        using var forgedAnswer = await browser.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
    }

    static async Task<ProjectDto> CreateAsync(TestUser owner, string name, string access) =>
        await (await owner.Client.PostAsJsonAsync("/api/v1/projects", new { name, access })).OkAsync<ProjectDto>(HttpStatusCode.Created);

    /// <summary>Deploys and follows the build log to its end; fails with the log unless the build succeeded.</summary>
    static async Task<string> DeployAsync(TestUser owner, long projectId)
    {
        var build = await (await owner.Client.PostAsync($"/api/v1/projects/{projectId}/deploy", null)).OkAsync<BuildDto>(HttpStatusCode.Accepted);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var log = await owner.Client.GetStringAsync($"/api/v1/projects/{projectId}/builds/{build.Id}/log?follow=true", timeout.Token);
        var after = await (await owner.Client.GetAsync($"/api/v1/projects/{projectId}")).OkAsync<ProjectDto>();
        Assert.True(after.LastBuild?.Status == BuildStates.Succeeded, $"Build {build.Id} {after.LastBuild?.Status}:\n{log}");
        return log;
    }

    static async Task<string> GetTextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return text;
    }

    static async Task<bool> UntilAsync(Func<Task<bool>> condition, int seconds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(Engine, scope);
    }

    public void Dispose() => host.Dispose();
}
