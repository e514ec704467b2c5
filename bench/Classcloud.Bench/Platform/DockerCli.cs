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
}
