using System.Diagnostics;
using System.Globalization;

namespace Classcloud.Bench.Assignments;

/// <summary>One bare run: the container's wall time (the `docker run` command line, start to exit) and each test's time and output inside it.</summary>
internal sealed record BareRun(double WallMs, IReadOnlyList<(double Ms, string Output)> Tests, string? Error);

/// <summary>
/// The grading baseline: the same program and the same five tests in one `docker run --rm -i --network none` of the
/// grader image, with nothing of Classcloud around it (no tmpfs, limits or read-only root; no timeout wrapper).
/// </summary>
internal static class BareGrader
{
    public static async Task<BareRun> RunAsync(string image, string label, GradingSubmission s, CancellationToken ct)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "run", "--rm", "-i", "--network", "none", "--label", label, image, "sh", "-c", GradingCorpus.BareScript, "sh", s.Language.Run })
        {
            start.ArgumentList.Add(a);
        }
        var input = GradingCorpus.BareTar(s);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.StandardInput.BaseStream.WriteAsync(input, ct);
        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        var wall = clock.Elapsed.TotalMilliseconds;
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tests = new List<(double, string)>();
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(line[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var ns))
            {
                tests.Add((ns / 1e6, line[(space + 1)..].Trim()));
            }
        }
        string? error = process.ExitCode != 0 ? $"docker run exited {process.ExitCode}: {(await stderr).Trim()}"
            : tests.Count != GradingCorpus.Tests.Count ? $"{tests.Count} of {GradingCorpus.Tests.Count} tests reported"
            : null;
        if (error is null)
        {
            var passed = tests.Select((t, i) => t.Item2 == GradingCorpus.Tests[i].Expected).Count(p => p);
            var expected = s.Wrong ? 3 : 5;
            error = passed == expected ? null : $"submission {s.Number} ({s.Language.Name}) passed {passed} tests bare, expected {expected}";
        }
        return new BareRun(wall, tests, error);
    }
}
