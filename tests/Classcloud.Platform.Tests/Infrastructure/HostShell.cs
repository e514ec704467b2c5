using System.Diagnostics;

namespace Classcloud.Platform.Tests.Infrastructure;

/// <summary>Runs host commands the engine tests need (iptables, scripts/lib.sh steps) and finds the repository.</summary>
public static class HostShell
{
    /// <summary>The repository root: the first folder above the test binaries holding scripts/lib.sh.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "lib.sh")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("scripts/lib.sh not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs one step of scripts/lib.sh (e.g. <c>isolate_workloads</c>) in the repository.</summary>
    public static Task<(int Code, string Output)> LibAsync(string step, TimeSpan timeout) =>
        RunAsync("bash", ["-c", $". scripts/lib.sh && {step}"], timeout);

    /// <summary>Runs a program in the repository root (with extra environment variables); stdout and stderr together.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot() };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
