using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Orchestration;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Resume: connecting to a suspended terminal workspace (the gateway resumes it) until the first
/// byte, next to `docker unpause`. Claim: a new workspace with the warm pool option on, API create
/// until the first byte, next to `docker run -d`.
/// </summary>
internal static class ResumeAndClaim
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The host settings that make a workspace nobody is connected to suspended within a few seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> ResumeSettings = new Dictionary<string, string>
    {
        ["Classcloud__Workspaces__IdleSuspendAfter"] = "00:00:02",
        ["Classcloud__Workspaces__IdleCheckInterval"] = "00:00:01",
        ["Classcloud__Workspaces__IdleStopAfter"] = "01:00:00",
        // The host refuses a heartbeat longer than half the idle time (a workspace in use must never look idle).
        ["Classcloud__Workspaces__PresenceHeartbeat"] = "00:00:01",
    };

    public const int PoolSize = 2;

    /// <summary>The warm pool option (built in another branch under exactly this name).</summary>
    public static readonly IReadOnlyDictionary<string, string> ClaimSettings = new Dictionary<string, string>
    {
        ["Classcloud__Workspaces__WarmPool__Terminal"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<IReadOnlyList<LatencySummary>> ResumeAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var unpause = new LatencySeries("resume", "docker-unpause", "`docker unpause` of a paused container of the terminal image (the baseline)");
        var resume = new LatencySeries("resume", "connect-suspended→first-byte", "Terminal WebSocket to a suspended workspace (the gateway resumes it, then takes over the terminal session kept from the last connection, or execs tmux) until its first output byte");
        var running = new LatencySeries("resume", "connect-running→first-byte", "The same connection again right after, to the now running workspace: the gateway's own part without the resume (the kept session is taken over)");
        var id = await host.CreateReadyAsync("terminal", ct);
        await host.StartRunningAsync(id, ct);
        var bare = await WorkspacesRun.DockerAsync(["run", "-d", .. r.BareArgs(r.TerminalImage), r.TerminalImage], ct);
        for (var i = 0; i < r.Samples; i++)
        {
            ScenarioRounds.Progress($"resume: sample {i + 1}/{r.Samples} (waiting for the idle suspension)");
            await DockerCli.RunAsync(["pause", bare], ct);
            WorkspacesRun.Record(unpause, await DockerCli.RunAsync(["unpause", bare], ct));

            await host.WaitAsync(id, ["suspended"], TimeSpan.FromMilliseconds(100), ct);
            foreach (var series in new[] { resume, running })
            {
                await WorkspacesRun.TimeAsync(series, async () =>
                {
                    await using var terminal = await GatewayTerminal.ConnectAsync(host.Socket(id, "terminal"), host.Bearer, ct);
                    await terminal.NextAsync(Limit, ct);
                }, ct);
            }
        }
        return [unpause.Summarize(null), resume.Summarize(unpause), running.Summarize(unpause)];
    }

    public sealed record Claims(IReadOnlyList<LatencySummary> Latencies, int FromPool, int Created, bool PoolSeen);

    /// <summary>
    /// Before each sample, waits (up to 60 s) until at least <see cref="PoolSize"/> running containers of
    /// the host's scope are not the bench's own workspaces (the pool has refilled); if none ever appear
    /// the option has no effect in this build, and later samples do not wait.
    /// </summary>
    public static async Task<Claims> ClaimAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var bareRun = new LatencySeries("claim", "docker-run", "`docker run -d` of the terminal image (the baseline)");
        var create = new LatencySeries("claim", "api-create→first-byte", $"`POST /api/v1/workspaces` (host with WarmPool:Terminal={PoolSize}), GET every 10 ms until `running` (a `stopped` answer — no pool — is started with `POST …/start`), the terminal WebSocket's first output byte");
        var (fromPool, created) = (0, 0);
        var poolSeen = await PoolReadyAsync(host, Limit, ct);
        for (var i = 0; i < r.Samples; i++)
        {
            ScenarioRounds.Progress($"claim: sample {i + 1}/{r.Samples}");
            if (poolSeen)
            {
                await PoolReadyAsync(host, Limit, ct);
            }
            var run = await DockerCli.RunAsync(["run", "-d", .. r.BareArgs(r.TerminalImage), r.TerminalImage], ct);
            WorkspacesRun.Record(bareRun, run);
            await DockerCli.RemoveLabelledAsync(r.BareLabel, ct);

            long? id = null;
            await WorkspacesRun.TimeAsync(create, async () =>
            {
                var (newId, _) = await host.CreateAsync("terminal", ct);
                id = newId;
                if (await host.WaitAsync(newId, ["running", "stopped"], Poll, ct) == "stopped")
                {
                    created++;
                    if (await host.ActAsync(newId, "start", ct) is { } refused)
                    {
                        throw new BenchOperationException(refused);
                    }
                    await host.WaitAsync(newId, ["running"], Poll, ct);
                }
                else
                {
                    fromPool++;
                }
                await using var terminal = await GatewayTerminal.ConnectAsync(host.Socket(newId, "terminal"), host.Bearer, ct);
                await terminal.NextAsync(Limit, ct);
            }, ct);
            if (id is { } done)
            {
                // Stopped, so only pool containers run between samples; deleted with the others at the end.
                await host.ActAsync(done, "stop", ct);
                await host.WaitAsync(done, ["stopped", "error"], TimeSpan.FromMilliseconds(100), ct);
            }
        }
        return new Claims([bareRun.Summarize(null), create.Summarize(bareRun)], fromPool, created, poolSeen);
    }

    static async Task<bool> PoolReadyAsync(WorkspaceHost host, TimeSpan limit, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var running = await DockerCli.RunAsync(["ps", "-q", "--filter", $"label={ControllerLabels.Scope}={host.Scope}", "--filter", "status=running"], ct);
            if (running.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= PoolSize)
            {
                return true;
            }
            await Task.Delay(500, ct);
        }
        return false;
    }
}
