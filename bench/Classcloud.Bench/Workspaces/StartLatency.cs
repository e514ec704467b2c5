using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Web.Gateway;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Click → usable for a stopped workspace, interleaved per sample with its bare baseline:
/// a terminal (API start → first byte on the terminal WebSocket vs `docker start`, and vs
/// `docker start` + the first byte of `docker exec -t` of the same tmux), and a desktop (API start →
/// first FramebufferUpdate through the gateway vs `docker start` until Xvnc accepts a TCP connection).
/// </summary>
internal static class StartLatency
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<LatencySummary>> TerminalAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var bareStart = new LatencySeries("start", "docker-start", "`docker start` of a stopped container of the terminal image (the baseline)");
        var bareUsable = new LatencySeries("start", "docker-start+exec", "`docker start`, then `docker exec -t` of the gateway's tmux command until its first output byte (a fairer \"usable\" baseline)");
        var api = new LatencySeries("start", "api-start→first-byte", "`POST /api/v1/workspaces/{id}/start` of a stopped terminal workspace, GET every 10 ms until `running`, connect the terminal WebSocket, its first output byte");
        var isolatedStart = new LatencySeries("start", "docker-start-isolated", "`docker start` of a container of the terminal image isolated as a workspace is: its own bridge network, a home volume, the same limits and dropped capabilities");
        var isolatedUsable = new LatencySeries("start", "docker-start-isolated+exec", "The isolated container's `docker start`, then `docker exec -t` of the gateway's tmux until its first output byte");
        var id = await host.CreateReadyAsync("terminal", ct);
        await host.StartRunningAsync(id, ct); // the first start makes the home volume's contents; not measured
        var bare = await WorkspacesRun.DockerAsync(["create", .. r.BareArgs(r.TerminalImage), r.TerminalImage], ct);
        var network = $"classcloud-bench-{r.Run}";
        await WorkspacesRun.DockerAsync(["network", "create", "--label", r.BareLabel, network], ct);
        try
        {
            var isolated = await WorkspacesRun.DockerAsync(["create", .. r.BareArgs(r.TerminalImage), .. IsolatedArgs(network, r.Run), r.TerminalImage], ct);
            for (var i = 0; i < r.Samples; i++)
            {
                ScenarioRounds.Progress($"terminal start: sample {i + 1}/{r.Samples}");
                await BareSampleAsync(bare, bareStart, bareUsable, ct);
                await BareSampleAsync(isolated, isolatedStart, isolatedUsable, ct);

                await StoppedAsync(host, id, ct);
                await WorkspacesRun.TimeAsync(api, async () =>
                {
                    await RunningAsync(host, id, ct);
                    await using var terminal = await GatewayTerminal.ConnectAsync(host.Socket(id, "terminal"), host.Bearer, ct);
                    await terminal.NextAsync(Limit, ct);
                }, ct);
            }
        }
        finally
        {
            await DockerCli.RemoveLabelledAsync(r.BareLabel, CancellationToken.None);
            await DockerCli.RunAsync(["network", "rm", network], CancellationToken.None);
            await DockerCli.RunAsync(["volume", "rm", $"classcloud-bench-{r.Run}-home"], CancellationToken.None);
        }
        // The isolated rows are set against the plain `docker start`: what isolation alone costs.
        return [bareStart.Summarize(null), bareUsable.Summarize(bareStart), api.Summarize(bareStart),
            isolatedStart.Summarize(bareStart), isolatedUsable.Summarize(bareStart)];
    }

    /// <summary>The workspace stopped (not timed), ready for the next timed start.</summary>
    static async Task StoppedAsync(WorkspaceHost host, long id, CancellationToken ct)
    {
        if (await host.StateAsync(id, ct) != "stopped")
        {
            await host.StopAsync(id, ct);
        }
    }

    /// <summary>The timed part's first half: <c>POST …/start</c>, then polled until <c>running</c>.</summary>
    static async Task RunningAsync(WorkspaceHost host, long id, CancellationToken ct)
    {
        if (await host.ActAsync(id, "start", ct) is { } refused)
        {
            throw new BenchOperationException(refused);
        }
        await host.WaitAsync(id, ["running"], Poll, ct);
    }

    /// <summary>What a workspace's container has that a bare one lacks (ContainerRequests in the Docker driver): a bridge network of its own, a home volume, limits, no capabilities.</summary>
    static string[] IsolatedArgs(string network, string run) =>
        ["--network", network, "-v", $"classcloud-bench-{run}-home:/home/classcloud", "--memory", "1g", "--memory-swap", "1g", "--cpus", "1",
         "--pids-limit", "512", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--log-opt", "max-size=10m"];

    /// <summary>One stop, a timed `docker start`, and the first byte of the tmux exec after it.</summary>
    static async Task BareSampleAsync(string container, LatencySeries start, LatencySeries usable, CancellationToken ct)
    {
        await DockerCli.RunAsync(["stop", "-t", "1", container], ct);
        var started = await DockerCli.RunAsync(["start", container], ct);
        WorkspacesRun.Record(start, started);
        if (started.Ok)
        {
            var exec = await DockerCli.FirstOutputAsync(["exec", "-t", "-e", "TERM=xterm-256color", container, .. TerminalBridge.Command(true)], Limit, ct);
            WorkspacesRun.Record(usable, exec with { Milliseconds = started.Milliseconds + exec.Milliseconds });
        }
    }

    public static async Task<IReadOnlyList<LatencySummary>> DesktopAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var bareStart = new LatencySeries("desktop", "docker-start", "`docker start` of a stopped container of the desktop image (the baseline)");
        var bareVnc = new LatencySeries("desktop", "docker-start→vnc-accepts", "`docker start`, then until Xvnc in it accepts a TCP connection on 5901 (tried every 10 ms)");
        var api = new LatencySeries("desktop", "api-start→framebuffer", "`POST …/start` of a stopped desktop workspace, GET every 10 ms until `running`, the desktop WebSocket (tried every 20 ms while the gateway answers 502), RFB handshake, first FramebufferUpdate");
        var id = await host.CreateReadyAsync("desktop", ct);
        await host.StartRunningAsync(id, ct); // the first start makes the home volume's contents; not measured
        var bare = await WorkspacesRun.DockerAsync(["create", .. r.BareArgs(r.DesktopImage), r.DesktopImage], ct);
        string? address = null;
        for (var i = 0; i < r.Samples; i++)
        {
            ScenarioRounds.Progress($"desktop start: sample {i + 1}/{r.Samples}");
            await DockerCli.RunAsync(["stop", "-t", "1", bare], ct);
            var clock = Stopwatch.StartNew();
            var started = await DockerCli.RunAsync(["start", bare], ct);
            WorkspacesRun.Record(bareStart, started);
            if (started.Ok)
            {
                // The address from the previous run (a container keeps it on the default bridge as a rule);
                // looked up again (inside the clock) when there is none yet or nothing answers there.
                address = await AcceptingAddressAsync(bare, address, ct);
                if (address is null)
                {
                    var state = await DockerCli.RunAsync(["inspect", "-f", "{{.State.Status}} exit {{.State.ExitCode}}", bare], ct);
                    var logs = await DockerCli.RunAsync(["logs", "--tail", "5", bare], ct);
                    bareVnc.Fail($"Xvnc of the bare container did not accept on 5901 within {Limit.TotalSeconds:0} s ({state.Stdout}; {logs.Stdout} {logs.Stderr})");
                    continue;
                }
                bareVnc.Add(clock.Elapsed.TotalMilliseconds);
            }

            await StoppedAsync(host, id, ct);
            await WorkspacesRun.TimeAsync(api, async () =>
            {
                await RunningAsync(host, id, ct);
                await using var rfb = await RfbClient.ConnectAsync(host.Socket(id, "vnc"), host.Bearer, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), ct);
                await rfb.FirstFramebufferUpdateAsync(ct);
            }, ct);
        }
        return [bareStart.Summarize(null), bareVnc.Summarize(bareStart), api.Summarize(bareStart)];
    }

    /// <summary>Tries <paramref name="known"/> every 10 ms, looking the container's address up again every second; null after the limit.</summary>
    static async Task<string?> AcceptingAddressAsync(string container, string? known, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var address = known;
        while (clock.Elapsed < Limit)
        {
            if (address is null || clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                var inspected = await DockerCli.RunAsync(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", container], ct);
                address = inspected.Ok && inspected.Stdout.Length > 0 ? inspected.Stdout : null;
            }
            if (address is not null && await AcceptsAsync(address, 5901, TimeSpan.FromSeconds(1), ct))
            {
                return address;
            }
            await Task.Delay(10, ct);
        }
        return null;
    }

    static async Task<bool> AcceptsAsync(string address, int port, TimeSpan limit, CancellationToken ct)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(ip, port, ct);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(10, ct);
            }
        }
        return false;
    }
}
