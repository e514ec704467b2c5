using System.Diagnostics;
using System.Security.Cryptography;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Classcloud.Platform;

namespace Classcloud.Web.Gateway;

/// <summary>
/// Browser terminal ↔ a TTY exec of tmux in the workspace. Everyone attaches to the one session
/// "main" (created on first use); the window follows the size of the latest active client.
/// Binary frames up are keystrokes — dropped here for viewers, which is what makes view only
/// hold (tmux's read-only attach is a second fence, not the first); binary frames down are output;
/// text frames up are control messages (resize), text frames down are notices.
/// </summary>
public sealed class TerminalBridge(WorkspacePresence presence, TerminalParking parking, TimeProvider clock, ILogger<TerminalBridge> logger)
{
    public const int MaxColumns = 1000;
    public const int MaxRows = 500;
    const int MaxControlBytes = 4096;
    const int NoticeQueue = 32;

    /// <summary>
    /// The tmux invocation for a person; viewers attach read-only (and their size is ignored). A person in control
    /// gets one tmux client that creates or attaches and sets the option in one command sequence: no shell and no
    /// extra tmux clients to start on the way to the first byte (each connection, resume and start waits for them).
    /// </summary>
    public static IReadOnlyList<string> Command(bool canControl) => canControl
        ? ["tmux", "-u", "new-session", "-A", "-s", "main", ";", "set-option", "-g", "window-size", "latest"]
        :
        [
            "sh", "-c",
            "tmux new-session -d -s main 2>/dev/null; tmux set-option -g window-size latest >/dev/null; exec tmux -u attach-session -r -t main",
        ];

    public static ExecRequest Exec(bool canControl) => Exec(canControl, tag: null);

    // The tag marks the tmux client of one connection, so that closing it can end that client and no other.
    static ExecRequest Exec(bool canControl, string? tag) => new()
    {
        Command = Command(canControl),
        Tty = true,
        Environment = tag is null ? SessionEnvironment : new Dictionary<string, string>(SessionEnvironment) { [TagVariable] = tag },
    };

    const string TagVariable = "CLASSCLOUD_TERMINAL";

    /// <summary>
    /// Ends the tmux client of the connection tagged <paramref name="tag"/>: only processes tmux lists as its clients
    /// are looked at, so the server and the session's shells (which may carry the first client's tag) are never hit.
    /// </summary>
    internal static ExecRequest HangUp(string tag) => new()
    {
        Command =
        [
            "sh", "-c",
            $"for p in $(tmux list-clients -F '#{{client_pid}}' 2>/dev/null); do tr '\\000' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx '{TagVariable}={tag}' && kill -HUP $p; done; true",
        ],
    };

    /// <summary>
    /// Makes the session "main" without attaching (a warm-pool container made ahead of its owner): the tmux server and
    /// the shell are started off the path a person waits on, so their first connection only attaches. The same
    /// environment and option as <see cref="Command"/>, so the session is the one a first connection would have made.
    /// </summary>
    public static ExecRequest Prestart() => new()
    {
        Command = ["sh", "-c", "tmux has-session -t main 2>/dev/null || tmux new-session -d -s main; tmux set-option -g window-size latest"],
        Environment = SessionEnvironment,
    };

    static readonly Dictionary<string, string> SessionEnvironment = new() { ["TERM"] = "xterm-256color", ["LANG"] = "C.UTF-8" };

    /// <summary>
    /// The session for a connection: for a person in control the workspace's kept one when there is one (taken over:
    /// no new exec), else a new exec — kept-able when it is theirs to control.
    /// </summary>
    internal async Task<IStreamSession> OpenAsync(IContainerPlatform platform, GatewayTarget target, CancellationToken ct)
    {
        if (target.CanControl && await parking.TakeAsync(target.WorkspaceId, target.Workload, ct) is { } kept)
        {
            return kept;
        }
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var exec = await platform.ExecAsync(target.Workload, Exec(target.CanControl, tag), ct);
        return new TerminalSession(target.Workload, exec, keepable: target.CanControl, () => HangUpAsync(platform, target, tag));
    }

    async Task HangUpAsync(IContainerPlatform platform, GatewayTarget target, string tag)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await platform.RunAsync(target.Workload, HangUp(tag), timeout.Token);
        }
        catch (Exception ex) when (ex is PlatformException or OperationCanceledException or IOException)
        {
            logger.LogDebug("The terminal client of workspace {Workspace} was not ended: {Reason}", target.WorkspaceId, ex.Message); // stopped meanwhile
        }
    }

    /// <summary>
    /// Relays until either side ends; owns <paramref name="session"/>: when the browser closed normally, a session of a
    /// person in control is kept for the next connection (<see cref="TerminalParking"/>), otherwise it is closed.
    /// <paramref name="since"/>: when the request arrived (a <see cref="Stopwatch"/> timestamp).
    /// </summary>
    internal async Task RunAsync(WebSocket webSocket, IStreamSession session, GatewayTarget target, long since, CancellationToken ct)
    {
        var browserLeft = false;
        try
        {
            browserLeft = await RelayAsync(webSocket, session, target, since, ct);
        }
        finally
        {
            if (!(browserLeft && session is TerminalSession { Keepable: true } kept && await parking.KeepAsync(target.WorkspaceId, kept)))
            {
                await session.DisposeAsync();
            }
        }
    }

    // True when the browser closed the connection normally (the session itself is still good).
    async Task<bool> RelayAsync(WebSocket webSocket, IStreamSession session, GatewayTarget target, long since, CancellationToken ct)
    {
        logger.LogDebug("Terminal of workspace {Workspace}: admitted and session ready {Elapsed:0} ms after the request", target.WorkspaceId,
            Stopwatch.GetElapsedTime(since).TotalMilliseconds);
        using var socket = new GatewaySocket(webSocket);
        var notices = Channel.CreateBounded<string>(new BoundedChannelOptions(NoticeQueue) { FullMode = BoundedChannelFullMode.DropOldest });
        using var listening = presence.Listen(target.WorkspaceId, json => notices.Writer.TryWrite(json));
        using var joined = presence.Join(target.WorkspaceId,
            new PresenceEntry(target.UserId, target.DisplayName, target.CanControl, GatewayChannel.Terminal, clock.GetUtcNow()), out var revoked);
        using var withdrawn = new Withdrawal(revoked);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = ReceiveAsync(socket, session, target.CanControl, stop.Token);
        var down = OutputAsync(socket, session, () => logger.LogDebug("Terminal of workspace {Workspace}: first byte {Elapsed:0} ms after the request",
            target.WorkspaceId, Stopwatch.GetElapsedTime(since).TotalMilliseconds), stop.Token, ct);
        var notify = NoticesAsync(socket, notices.Reader, stop.Token, ct);
        var first = await Task.WhenAny(up, down, withdrawn.Task);
        if (first == withdrawn.Task)
        {
            await stop.CancelAsync();
            await Quietly(Task.WhenAll(up, down, notify));
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, Withdrawal.CloseReason, ct);
            logger.LogInformation("Ended the terminal of user {User} on workspace {Workspace}: access withdrawn", target.UserId, target.WorkspaceId);
            return false;
        }
        if (first == down)
        {
            // The process ended (tmux detached or the workspace stopped): close, then wait briefly for the browser's answer.
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended", ct);
            await Quietly(up.WaitAsync(TimeSpan.FromSeconds(5), ct));
        }
        await stop.CancelAsync();
        await Quietly(Task.WhenAll(up, down, notify));
        var status = first == up && up.IsCompletedSuccessfully ? up.Result : WebSocketCloseStatus.NormalClosure;
        await socket.CloseAsync(status, status == WebSocketCloseStatus.NormalClosure ? "bye" : "bad message", ct);
        logger.LogDebug("Terminal of workspace {Workspace} closed for user {User}", target.WorkspaceId, target.UserId);
        return first == up && status == WebSocketCloseStatus.NormalClosure;
    }

    // Browser → workspace. Returns how to close: normal when the browser closed, else why it was refused.
    static async Task<WebSocketCloseStatus> ReceiveAsync(GatewaySocket socket, IStreamSession session, bool canControl, CancellationToken ct)
    {
        var buffer = new byte[GatewaySocket.BufferSize];
        var control = new MemoryStream();
        while (true)
        {
            var result = await socket.Socket.ReceiveAsync(buffer.AsMemory(), ct);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return WebSocketCloseStatus.NormalClosure;
                case WebSocketMessageType.Binary:
                    if (canControl && result.Count > 0)
                    {
                        await session.WriteAsync(buffer.AsMemory(0, result.Count), ct);
                    }
                    break;
                default:
                    if (control.Length + result.Count > MaxControlBytes)
                    {
                        return WebSocketCloseStatus.MessageTooBig;
                    }
                    control.Write(buffer, 0, result.Count);
                    if (result.EndOfMessage)
                    {
                        if (!await ControlAsync(control.ToArray(), session, ct))
                        {
                            return WebSocketCloseStatus.InvalidPayloadData;
                        }
                        control.SetLength(0);
                    }
                    break;
            }
        }
    }

    // A control message; unknown types are ignored (newer clients), malformed JSON refuses the connection.
    static async Task<bool> ControlAsync(byte[] json, IStreamSession session, CancellationToken ct)
    {
        ControlMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<ControlMessage>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return false;
        }
        if (message is { Type: "resize", Cols: { } cols, Rows: { } rows })
        {
            await session.ResizeAsync(Math.Clamp(cols, 1, MaxColumns), Math.Clamp(rows, 1, MaxRows), ct);
        }
        return message is not null;
    }

    sealed record ControlMessage(string? Type, int? Cols, int? Rows);

    // Workspace → browser, until the process closes its output. Sends use the request's token so a stop never cuts a frame in half.
    static async Task OutputAsync(GatewaySocket socket, IStreamSession session, Action first, CancellationToken stop, CancellationToken ct)
    {
        var buffer = new byte[GatewaySocket.BufferSize];
        var firstRead = true;
        while (true)
        {
            var read = await session.ReadAsync(buffer, stop);
            if (read.Count == 0)
            {
                return;
            }
            if (firstRead)
            {
                firstRead = false;
                first(); // the timing the start and resume goals are made of (Debug)
            }
            await socket.SendAsync(buffer.AsMemory(0, read.Count), WebSocketMessageType.Binary, ct);
        }
    }

    static async Task NoticesAsync(GatewaySocket socket, ChannelReader<string> notices, CancellationToken stop, CancellationToken ct)
    {
        await foreach (var json in notices.ReadAllAsync(stop))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, ct);
        }
    }

    internal static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or WebSocketException or IOException or ObjectDisposedException or PlatformException)
        {
            // one side is gone; the other is being closed
        }
    }
}
