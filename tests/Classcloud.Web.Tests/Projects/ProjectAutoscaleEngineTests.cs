using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;
using Classcloud.Web.Projects;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Tests.Workspaces;

namespace Classcloud.Web.Tests.Projects;

/// <summary>
/// Autoscaling on the real engine: concurrent requests beyond the target start more instances (up to the
/// project's maximum) and are spread over them; once the load falls the extra instances are drained and go, with
/// no request dropped; idle, the project goes to zero. Every step waits on the instance count the engine reports.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ProjectAutoscaleEngineTests(EngineFixture engine) : IAsyncLifetime, IDisposable
{
    readonly SqliteHost host = new();
    readonly string scope = $"s-{Guid.NewGuid():N}"[..14];

    public async Task InitializeAsync()
    {
        await AppBaseImage.EnsureAsync(engine.Platform);
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
            ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.500",
            ["Classcloud:Projects:IdleCheckInterval"] = "00:00:00.500",
            // Long enough that scaling in (about three seconds after the load falls) is seen before zero.
            ["Classcloud:Projects:IdleWindowOverride"] = "00:00:15",
            ["Classcloud:Projects:AutoscaleInterval"] = "00:00:00.200",
            ["Classcloud:Projects:ScaleWindow"] = "00:00:01",
            ["Classcloud:Projects:ScaleDownDelay"] = "00:00:02",
        })
        {
            host.Configure(key, value);
        }
        await host.InitializeAsync();
    }

    [Fact]
    public async Task Load_scales_out_to_the_maximum_quiet_scales_back_in_without_dropping_a_request_and_idle_goes_to_zero()
    {
        var owner = await host.UserAsync(TestRole.Student);
        var project = await (await owner.Client.PostAsJsonAsync("/api/v1/projects", new { name = ProjectZips.Name("scale"), access = "public" }))
            .OkAsync<ProjectDto>(HttpStatusCode.Created);
        // A CGI script that takes half a second and says which instance answered (its address on the tenant network).
        var zip = ProjectZips.Make(
            ("Dockerfile", $"FROM {AppBaseImage.Name}\nCOPY cgi-bin /srv/www/cgi-bin\nRUN chmod 755 /srv/www/cgi-bin/slow\nUSER 1000\nCMD [\"busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/srv/www\"]\n"),
            ("cgi-bin/slow", "#!/bin/sh\nsleep 0.5\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\ntail -n 1 /etc/hosts | cut -f1\n"));
        await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/source", ProjectZips.Form(zip))).StatusAsync(HttpStatusCode.OK);
        await (await owner.Client.PutAsJsonAsync($"/api/v1/projects/{project.Id}/scaling", new { maxInstances = 3, targetConcurrency = 1 })).StatusAsync(HttpStatusCode.OK);
        var build = await (await owner.Client.PostAsync($"/api/v1/projects/{project.Id}/deploy", null)).OkAsync<BuildDto>(HttpStatusCode.Accepted);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            var log = await owner.Client.GetStringAsync($"/api/v1/projects/{project.Id}/builds/{build.Id}/log?follow=true", timeout.Token);
            Assert.True((await (await owner.Client.GetAsync($"/api/v1/projects/{project.Id}")).OkAsync<ProjectDto>()).LastBuild?.Status == BuildStates.Succeeded, log);
        }
        var workload = new WorkloadId($"{scope}-app-{project.Id}");
        var url = $"{project.Url}cgi-bin/slow";
        var answers = new ConcurrentBag<(HttpStatusCode Status, string Body)>();
        using var visitor = host.NewClient();

        // Six requests at a time against a target of one per instance: three instances (the maximum), not six.
        using (var heavy = new CancellationTokenSource())
        {
            var clients = Enumerable.Range(0, 6).Select(_ => LoadAsync(visitor, url, answers, heavy.Token)).ToList();
            Assert.True(await UntilAsync(async () => await RunningAsync(workload) == 3, 90), $"Never three instances (now {await RunningAsync(workload)})");
            // A moment at three, so the new instances take requests too.
            var seen = answers.Count;
            Assert.True(await UntilAsync(() => Task.FromResult(answers.Count >= seen + 24), 30), "The load stalled at three instances");
            Assert.Equal(3, await RunningAsync(workload));
            await heavy.CancelAsync();
            await Task.WhenAll(clients);
        }
        var addresses = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Body.Trim()).Distinct().ToList();
        Assert.True(addresses.Count >= 2, $"Requests went to {string.Join(", ", addresses)} only");

        // One request at a time: one instance is enough; the two others are drained and removed while it keeps going.
        using (var light = new CancellationTokenSource())
        {
            var client = LoadAsync(visitor, url, answers, light.Token);
            Assert.True(await UntilAsync(async () => await RunningAsync(workload) == 1, 60), $"Never back to one instance (now {await RunningAsync(workload)})");
            var seen = answers.Count;
            Assert.True(await UntilAsync(() => Task.FromResult(answers.Count >= seen + 3), 30), "No answer after scaling in");
            await light.CancelAsync();
            await client;
        }
        var failed = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} requests failed: {string.Join(" | ", failed.Take(3).Select(f => $"{(int)f.Status} {f.Body}"))}");

        // Idle: zero, and the next request wakes one instance.
        Assert.True(await UntilAsync(async () => await RunningAsync(workload) == 0, 60), "The idle project was not scaled to zero");
        using var woken = await visitor.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, woken.StatusCode);
        Assert.Equal(1, await RunningAsync(workload));
    }

    /// <summary>Sends requests one after the other until cancelled; every answer is kept (a dropped request shows as a non-200).</summary>
    static async Task LoadAsync(HttpClient client, string url, ConcurrentBag<(HttpStatusCode, string)> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(url, CancellationToken.None);
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None)));
            }
            catch (HttpRequestException ex)
            {
                answers.Add((HttpStatusCode.ServiceUnavailable, ex.Message));
            }
        }
    }

    async Task<int> RunningAsync(WorkloadId workload) => (await engine.Platform.GetAsync(workload, CancellationToken.None))?.Running ?? 0;

    static async Task<bool> UntilAsync(Func<Task<bool>> condition, int seconds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return false;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)host).DisposeAsync();
        await WorkspaceTestKit.RemoveScopeAsync(engine.Platform, scope);
    }

    public void Dispose() => host.Dispose();
}
