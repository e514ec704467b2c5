using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// Keystroke echo round trip in one running terminal workspace: a key sent on the gateway's terminal
/// WebSocket until the terminal shows it, next to the same through an exec session of the same tmux
/// straight on the engine (`docker exec -it` without the CLI). Both are attached at once and take
/// turns, so the machine's noise falls on both alike.
/// </summary>
internal static class KeystrokeEcho
{
    /// <summary>
    /// Lower-case letters that neither tmux's status line (session name, host name in hex, clock) nor the
    /// escape sequences a backspace redraws contain; consecutive keys differ, so a late echo of the
    /// previous key on the other terminal is never taken for this one.
    /// </summary>
    static readonly byte[] Keys = "xzqwyvgr"u8.ToArray();

    const byte Backspace = 0x7f;
    const byte ClearLine = 0x15; // Ctrl+U

    public static async Task<IReadOnlyList<LatencySummary>> RunAsync(WorkspacesRun r, WorkspaceHost host, CancellationToken ct)
    {
        var direct = new LatencySeries("echo", "engine-exec-echo", "A key written to a TTY exec session of the same tmux (Classcloud.Platform's exec, as `docker exec -it`) until it is echoed (the baseline)");
        var gateway = new LatencySeries("echo", "gateway-echo", "A key sent on the terminal WebSocket through the gateway until it is echoed");
        var id = await host.CreateReadyAsync("terminal", ct);
        await host.StartRunningAsync(id, ct);
        await using var viaGateway = await GatewayTerminal.ConnectAsync(host.Socket(id, "terminal"), host.Bearer, ct);
        await using var viaEngine = await ExecTerminal.OpenAsync(r.Platform, host.Names.Workload(id), ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // the shell's prompt and tmux's first drawing
        var count = r.Options.Keystrokes;
        for (var i = 0; i < count; i++)
        {
            if (i % 20 == 0)
            {
                ScenarioRounds.Progress($"echo: keystroke {i + 1}/{count}");
            }
            var key = Keys[i % Keys.Length];
            foreach (var (terminal, series) in new (TerminalStream, LatencySeries)[] { (viaEngine, direct), (viaGateway, gateway) })
            {
                try
                {
                    series.Add(await terminal.EchoAsync(key, ct));
                    // Untimed: take the key away again, so the line stays short.
                    await terminal.SendAsync(new[] { i % 50 == 49 ? ClearLine : Backspace }, ct);
                    await Task.Delay(20, ct);
                }
                catch (Exception ex) when (WorkspacesRun.IsFailure(ex, ct))
                {
                    series.Fail(ex.Message);
                }
            }
        }
        return [direct.Summarize(null), gateway.Summarize(direct)];
    }
}
