using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Classcloud.Platform.Tests.Kubernetes.Fake;

/// <summary>
/// Exec and attach over the WebSocket channel protocol. The "container" runs a tiny shell that
/// knows the commands the tests use: <c>echo</c> (also to <c>&gt;&amp;2</c>), <c>exit N</c>,
/// <c>pwd</c>, <c>id -u</c>, <c>stty size</c>, <c>printenv</c>, <c>cat</c>, <c>true</c>/<c>false</c>,
/// <c>sh -c "a; b"</c>, an interactive <c>sh</c>/<c>bash</c> with a TTY (echo, line editing by Enter),
/// and the driver's <c>env -C dir K=V command</c> wrapper.
/// </summary>
public sealed partial class FakeKubeApi
{
    const byte Stdin = 0, Stdout = 1, Stderr = 2, ErrorChannel = 3, ResizeChannel = 4, CloseChannel = 255;

    async Task ExecAsync(HttpContext context, string ns, string podName, bool attach)
    {
        var pod = Get("pods", ns, podName);
        if (pod is null)
        {
            await NotFoundAsync(context, "pods", podName);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteStatusAsync(context, 400, "BadRequest", "Upgrade request required");
            return;
        }
        if (!Running(pod))
        {
            await WriteStatusAsync(context, 400, "BadRequest", $"container main is not valid for pod {podName}");
            return;
        }
        var protocol = ExecProtocols.FirstOrDefault(p => context.WebSockets.WebSocketRequestedProtocols.Contains(p));
        if (protocol is null)
        {
            await WriteStatusAsync(context, 400, "BadRequest", "no supported subprotocol");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var query = context.Request.Query;
        var tty = Flag(query["tty"]);
        var command = attach ? ["sh"] : query["command"].Select(c => c ?? "").ToList();
        // Attach joins a process that runs already; only exec starts one.
        var shell = new FakeShell(socket, tty, starts: tty && !attach, protocol == "v5.channel.k8s.io",
            pod["spec"]?["securityContext"]?["runAsUser"]?.ToString() ?? "0",
            size => LastResize = size, () => Interlocked.Increment(ref droppedResizes));
        if (!attach && !Flag(query["stdin"]))
        {
            shell.NoStdin(); // as a kubelet does: the process reads end of file at once
        }
        var code = await shell.RunAsync(command, context.RequestAborted);
        if (!attach)
        {
            var status = code == 0
                ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                : new JsonObject
                {
                    ["metadata"] = new JsonObject(), ["status"] = "Failure",
                    ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {code}",
                    ["reason"] = "NonZeroExitCode",
                    ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(CultureInfo.InvariantCulture) }) },
                };
            await shell.SendAsync(ErrorChannel, Encoding.UTF8.GetBytes(status.ToJsonString()), context.RequestAborted);
        }
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        }
        catch (WebSocketException)
        {
            // The client is gone already.
        }
    }

    int droppedResizes;

    /// <summary>Resizes a TTY exec received before its process existed, and so ignored (see <see cref="FakeShell"/>).</summary>
    public int DroppedResizes => Volatile.Read(ref droppedResizes);

    /// <summary>
    /// The process of one exec. As on a real node, a TTY process starts a moment after the streams
    /// are up — here when the client's first frame has arrived (or after <see cref="StartDelay"/>),
    /// which makes the race deterministic — and a resize that arrives before it exists is lost
    /// (containerd has no console to resize yet), leaving the terminal at 0×0.
    /// </summary>
    sealed class FakeShell(WebSocket socket, bool tty, bool starts, bool v5, string uid, Action<(int, int)> resized, Action dropped)
    {
        static readonly TimeSpan StartDelay = TimeSpan.FromMilliseconds(500);

        readonly System.Threading.Channels.Channel<byte[]> stdin = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        readonly Dictionary<string, string> env = new(StringComparer.Ordinal) { ["HOME"] = "/home/classcloud", ["PATH"] = "/usr/bin:/bin" };
        readonly TaskCompletionSource firstFrame = new(TaskCreationOptions.RunContinuationsAsynchronously);
        volatile bool started;
        string cwd = "/";
        (int Columns, int Rows) size = (0, 0);

        public void NoStdin() => stdin.Writer.TryComplete();

        public async Task SendAsync(byte channel, byte[] data, CancellationToken ct)
        {
            var frame = new byte[data.Length + 1];
            frame[0] = channel;
            data.CopyTo(frame, 1);
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
        }

        Task WriteAsync(bool error, string text, CancellationToken ct) =>
            SendAsync(error && !tty ? Stderr : Stdout, Encoding.UTF8.GetBytes(tty ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text), ct);

        async Task ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                    message.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }
                    var data = message.ToArray();
                    message.SetLength(0);
                    if (data.Length == 0)
                    {
                        continue;
                    }
                    var early = starts && !started;
                    switch (data[0])
                    {
                        case Stdin:
                            await stdin.Writer.WriteAsync(data[1..], ct);
                            break;
                        case ResizeChannel when early:
                            dropped();
                            break;
                        case ResizeChannel:
                            var json = JsonNode.Parse(data.AsSpan(1))!;
                            size = (json["Width"]!.GetValue<int>(), json["Height"]!.GetValue<int>());
                            resized(size);
                            break;
                        case CloseChannel when v5 && data.Length > 1 && data[1] == Stdin:
                            stdin.Writer.TryComplete();
                            break;
                        default:
                            break;
                    }
                    firstFrame.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
            finally
            {
                firstFrame.TrySetResult();
                stdin.Writer.TryComplete();
            }
        }

        public async Task<int> RunAsync(List<string> command, CancellationToken ct)
        {
            var receiving = ReceiveAsync(ct);
            if (starts)
            {
                await Task.WhenAny(firstFrame.Task, Task.Delay(StartDelay, ct));
            }
            started = true;
            if (command is ["env", .. var rest])
            {
                var i = 0;
                if (rest is ["-C", var dir, ..])
                {
                    cwd = dir;
                    i = 2;
                }
                for (; i < rest.Count && rest[i].Contains('=', StringComparison.Ordinal); i++)
                {
                    var parts = rest[i].Split('=', 2);
                    env[parts[0]] = parts[1];
                }
                command = [.. rest[i..]];
                if (command.Count == 0)
                {
                    command = ["printenv"];
                }
            }
            int code;
            if (command is ["sh" or "bash"] && tty)
            {
                code = await InteractiveAsync(ct);
            }
            else if (command is ["cat"])
            {
                await foreach (var chunk in stdin.Reader.ReadAllAsync(ct))
                {
                    await SendAsync(Stdout, chunk, ct);
                }
                code = 0;
            }
            else
            {
                code = await RunLineAsync(command is ["sh" or "bash", "-c", var script] ? script : string.Join(' ', command), ct) ?? 0;
            }
            _ = receiving;
            return code;
        }

        /// <summary>A terminal: every key is echoed, Enter runs the line, "exit N" ends the session.</summary>
        async Task<int> InteractiveAsync(CancellationToken ct)
        {
            var line = new StringBuilder();
            await WriteAsync(false, "$ ", ct);
            await foreach (var chunk in stdin.Reader.ReadAllAsync(ct))
            {
                foreach (var c in Encoding.UTF8.GetString(chunk))
                {
                    if (c is '\r' or '\n')
                    {
                        await WriteAsync(false, "\n", ct);
                        if (await RunLineAsync(line.ToString(), ct) is { } code)
                        {
                            return code;
                        }
                        line.Clear();
                        await WriteAsync(false, "$ ", ct);
                    }
                    else
                    {
                        line.Append(c);
                        await SendAsync(Stdout, Encoding.UTF8.GetBytes(c.ToString()), ct);
                    }
                }
            }
            return 0;
        }

        /// <summary>Runs "a; b; c"; returns the exit code when the line exits, or (non-interactive) the last status.</summary>
        async Task<int?> RunLineAsync(string script, CancellationToken ct)
        {
            var last = 0;
            foreach (var raw in script.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var toStderr = raw.EndsWith(">&2", StringComparison.Ordinal);
                var words = (toStderr ? raw[..^3] : raw).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('\'', '"')).ToArray();
                switch (words)
                {
                    case ["exit", var n]:
                        return int.Parse(n, CultureInfo.InvariantCulture);
                    case ["exit"]:
                        return last;
                    case ["echo", .. var text]:
                        await WriteAsync(toStderr, string.Join(' ', text) + "\n", ct);
                        last = 0;
                        break;
                    case ["pwd"]:
                        await WriteAsync(false, cwd + "\n", ct);
                        break;
                    case ["id", "-u"]:
                        await WriteAsync(false, uid + "\n", ct);
                        break;
                    case ["stty", "size"]:
                        await WriteAsync(false, $"{size.Rows} {size.Columns}\n", ct);
                        break;
                    case ["printenv", var name]:
                        last = env.TryGetValue(name, out var value) ? 0 : 1;
                        if (last == 0)
                        {
                            await WriteAsync(false, value + "\n", ct);
                        }
                        break;
                    case ["printenv"]:
                        await WriteAsync(false, string.Concat(env.Select(e => $"{e.Key}={e.Value}\n")), ct);
                        break;
                    case ["true"]:
                        last = 0;
                        break;
                    case ["false"]:
                        last = 1;
                        break;
                    default:
                        await WriteAsync(true, $"sh: 1: {words.FirstOrDefault()}: not found\n", ct);
                        last = 127;
                        break;
                }
            }
            return tty ? null : last;
        }
    }
}
