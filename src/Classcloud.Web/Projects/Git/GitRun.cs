using System.Diagnostics;
using System.Text;

namespace Classcloud.Web.Projects.Git;

/// <summary>Git failed, timed out or fetched too much; the message is for the build log and the person.</summary>
public sealed class GitSourceException(string message) : IOException(message);

/// <summary>
/// One git command with nothing of this server's environment: no user or system configuration, no prompt, no
/// helper that could ask for a password, only the protocols allowed, and the deploy key in an environment
/// variable (never in the arguments, which every local user can read in the process list).
/// </summary>
internal sealed class GitRun(string command, IReadOnlyDictionary<string, string> config, string protocols, string home)
{
    /// <summary>Runs git; its output lines go to <paramref name="log"/>; killed (with its children) on cancel or when <paramref name="tooBig"/> says so.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? workingDirectory, Action<string>? log,
        Func<bool>? tooBig, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? home,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_ALLOW_PROTOCOL"] = protocols;
        start.Environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var i = 0;
        foreach (var (key, value) in config)
        {
            start.Environment[$"GIT_CONFIG_KEY_{i}"] = key;
            start.Environment[$"GIT_CONFIG_VALUE_{i}"] = value;
            i++;
        }
        using var process = Process.Start(start) ?? throw new GitSourceException("git could not be started.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
            log?.Invoke(line);
        }
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var watch = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            var exited = process.WaitForExitAsync(ct);
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, watch.WaitForNextTickAsync(ct).AsTask());
                if (!exited.IsCompleted && tooBig?.Invoke() == true)
                {
                    process.Kill(entireProcessTree: true);
                    throw new GitSourceException("The repository is larger than the limit; git was stopped.");
                }
            }
            await exited;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.WaitForExit(); // the output readers finish
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
