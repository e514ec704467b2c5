using System.Diagnostics;
using System.Net;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>What the workspace engine tests share: waiting for a state through the API, and removing what a test scope left on the engine.</summary>
internal static class WorkspaceTestKit
{
    /// <summary>Polls GET until the state is reached; an error state fails at once with its reason.</summary>
    public static async Task<WorkspaceDto> StateAsync(TestUser user, long id, string state, int seconds = 90)
    {
        var clock = Stopwatch.StartNew();
        WorkspaceDto? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await (await user.Client.GetAsync($"/api/v1/workspaces/{id}")).OkAsync<WorkspaceDto>();
            if (last.State == state)
            {
                return last;
            }
            Assert.False(last.State == "error", $"Workspace {id} failed: {last.Reason}");
            await Task.Delay(200);
        }
        Assert.Fail($"Workspace {id} not {state} within {seconds} s; last {last?.State}");
        return last!;
    }

    /// <summary>Polls GET until the workspace is gone (404); a failed delete fails at once with its reason.</summary>
    public static async Task GoneAsync(TestUser user, long id)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            using var response = await user.Client.GetAsync($"/api/v1/workspaces/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
            var dto = await response.OkAsync<WorkspaceDto>();
            Assert.False(dto.State == "error" && dto.Reason?.StartsWith("Could not", StringComparison.Ordinal) == true, $"Delete failed: {dto.Reason}");
            await Task.Delay(200);
        }
        Assert.Fail($"Workspace {id} was not deleted");
    }

    /// <summary>
    /// The settings every engine test host shares — the platform on, its own controller scope (so test runs sharing an
    /// engine never collide), a quick controller and state watcher, the test image for terminals — then <paramref name="extra"/>.
    /// </summary>
    public static void ConfigureEngineHost(ClasscloudHost host, string scope, string terminalImage, IReadOnlyDictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Classcloud:Platform:Enabled"] = "true",
            ["Classcloud:Controller:Scope"] = scope,
            ["Classcloud:Controller:ResyncInterval"] = "00:00:00.500",
            ["Classcloud:Controller:LeaseDuration"] = "00:00:03",
            ["Classcloud:Controller:LeaseRenewInterval"] = "00:00:00.500",
            ["Classcloud:Workspaces:TerminalImage"] = terminalImage,
            ["Classcloud:Workspaces:StateCheckInterval"] = "00:00:00.250",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            host.Configure(key, value);
        }
    }

    /// <summary>The host's state watcher's finished checks (for <see cref="Controller.ControllerHarness.PassesAsync(Func{long}, int, string)"/>).</summary>
    public static Func<long> WatcherPasses(ClasscloudHost host)
    {
        var watcher = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<WorkspaceStateWatcher>().Single();
        return () => watcher.Counter.Passes;
    }

    /// <summary>Removes the workloads and volumes labelled with the controller scope, and the tenant networks named after it.</summary>
    public static async Task RemoveScopeAsync(IContainerPlatform engine, string scope)
    {
        var labels = new Dictionary<string, string> { [ControllerLabels.Scope] = scope };
        foreach (var workload in await engine.ListAsync(labels, CancellationToken.None))
        {
            await engine.RemoveAsync(workload.Id, CancellationToken.None);
        }
        foreach (var volume in await engine.ListVolumesAsync(labels, CancellationToken.None))
        {
            await engine.RemoveVolumeAsync(volume.Name, CancellationToken.None);
        }
        foreach (var network in await engine.ListTenantNetworksAsync(CancellationToken.None))
        {
            if (network.Tenant.StartsWith(scope, StringComparison.Ordinal))
            {
                await engine.RemoveTenantNetworkAsync(network.Tenant, CancellationToken.None);
            }
        }
    }
}
