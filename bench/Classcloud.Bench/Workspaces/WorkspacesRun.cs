using System.Diagnostics;
using System.Net.WebSockets;
using Classcloud.Bench.Platform;
using Classcloud.Bench.Runner;
using Classcloud.Platform;

namespace Classcloud.Bench.Workspaces;

/// <summary>What every part of one workspaces run shares: the run id (labels), the engine, the images, the options.</summary>
internal sealed record WorkspacesRun(string Run, IContainerPlatform Platform, string TerminalImage, string DesktopImage, BenchOptions Options, string HostDll)
{
    /// <summary>The desktop image's VNC server refuses to start without a password (a bare baseline container needs one too).</summary>
    public const string VncPasswordVariable = Web.Workspaces.WorkspaceEngine.VncPasswordVariable;

    public int Samples => Options.Samples ?? 30;

    public string BareLabel => $"{PlatformBenchmark.BenchLabel}={Run}";

    /// <summary>
    /// Bare baseline containers: the image's own command and user, the default bridge, only the run's
    /// label. The desktop gets a fresh /tmp on every start: the image's main script exits on SIGTERM
    /// without waiting for Xvnc, which then often leaves /tmp/.X1-lock behind, and a restarted
    /// container's Xvnc refuses to start ("Server is already active for display 1").
    /// </summary>
    public IReadOnlyList<string> BareArgs(string image) => image == DesktopImage
        ? ["--label", BareLabel, "-e", $"{VncPasswordVariable}=bench-{Run}", "--tmpfs", "/tmp"]
        : ["--label", BareLabel];

    /// <summary>Times <paramref name="action"/> into <paramref name="series"/>; a failure is counted with its message, not thrown.</summary>
    public static async Task TimeAsync(LatencySeries series, Func<Task> action, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await action();
            series.Add(clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (IsFailure(ex, ct))
        {
            series.Fail(ex.Message);
        }
    }

    public static void Record(LatencySeries series, DockerCli.Result result)
    {
        if (result.Ok)
        {
            series.Add(result.Milliseconds);
        }
        else
        {
            series.Fail(result.Error);
        }
    }

    /// <summary>What a sample may fail with (the run goes on); a cancellation of the run itself is not one.</summary>
    public static bool IsFailure(Exception ex, CancellationToken ct) =>
        ex is BenchOperationException or IOException or TimeoutException or WebSocketException or HttpRequestException or PlatformException
        || ex is OperationCanceledException && !ct.IsCancellationRequested;

    /// <summary>`docker create` (or run) of a bare baseline container; its id.</summary>
    public static async Task<string> DockerAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await DockerCli.RunAsync(args, ct);
        return result.Ok ? result.Stdout : throw new BenchOperationException($"docker {args[0]}: {result.Error}");
    }
}
