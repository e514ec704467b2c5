using System.Diagnostics;

namespace Classcloud.Bench.Platform;

/// <summary>The `docker` command line: the bare baseline the platform's figures are compared with.</summary>
internal static class DockerCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, double Milliseconds)
    {
        public bool Ok => ExitCode == 0;

        public string Error => $"docker exited {ExitCode}: {Stderr.Trim()}";
    }

    /// <summary>Runs `docker args…` to its end; the time includes the CLI's own start, as a person typing it would see.</summary>
    public static async Task<Result> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var ms = clock.Elapsed.TotalMilliseconds;
        return new Result(process.ExitCode, (await stdout).Trim(), await stderr, ms);
    }

    /// <summary>Removes every container carrying the label (the run's own); errors are ignored: this is cleanup.</summary>
    public static async Task RemoveLabelledAsync(string label, CancellationToken ct)
    {
        var ids = await RunAsync(["ps", "-aq", "--filter", $"label={label}"], ct);
        var list = ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var chunk in list.Chunk(50))
        {
            await RunAsync(["rm", "-f", .. chunk], ct);
        }
    }

    /// <summary>The first local image whose repository ends with <paramref name="suffix"/>, or null.</summary>
    public static async Task<string?> FindImageAsync(string suffix, CancellationToken ct)
    {
        var images = await RunAsync(["images", "--format", "{{.Repository}}:{{.Tag}}"], ct);
        return images.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(i => !i.EndsWith(":<none>", StringComparison.Ordinal) && i[..i.LastIndexOf(':')].EndsWith(suffix, StringComparison.Ordinal));
    }
    /// <summary>
    /// Runs `docker args…` until it writes its first byte of output (e.g. `docker exec -t` of a terminal
    /// program), then ends it; the time to that byte, or the error when it ended without output.
    /// </summary>
    public static async Task<Result> FirstOutputAsync(IReadOnlyList<string> args, TimeSpan limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker could not be started");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        var first = new byte[1];
        int read;
        try
        {
            read = await process.StandardOutput.BaseStream.ReadAsync(first, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            read = 0;
        }
        var ms = clock.Elapsed.TotalMilliseconds;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None);
        return read > 0 ? new Result(0, "", "", ms) : new Result(process.ExitCode == 0 ? -1 : process.ExitCode, "", await stderr, ms);
    }
}
