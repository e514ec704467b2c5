using System.Globalization;
using System.Text;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Workspaces;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// <c>classcloud test N</c>: the server writes a shell script that runs the tests the student may see (never the
/// hidden ones, nor after-due ones before the due time) with the assignment's run command, each under
/// <c>timeout</c> with its output capped; the command posts what each printed back, and <see cref="OutputComparer"/>
/// judges it here as the grader would, answering with the differences as plain text. The script and the program
/// run as the student in their own workspace; only the grader's score counts.
/// </summary>
public sealed class WorkspaceCliTests(WorkspaceCliCommands commands, IOptions<WorkspacesOptions> workspaces)
{
    /// <summary>Output read back per test and stream, as the grader keeps.</summary>
    public const int MaxOutput = AssignmentLimits.Output;
    const int MaxDiffLines = 200;

    static string T(string text, params object?[] args) => Sentences.Format(text, args);

    public async Task<Outcome<string>> ScriptAsync(WorkspaceCliCaller who, string which, CancellationToken ct)
    {
        var found = await commands.FindAsync(who, which, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        var a = found.Value!;
        var run = a.RunCommand ?? AssignmentLanguages.DefaultRun(a.Language);
        if (run is null)
        {
            return Problem.Conflict("This assignment has no run command, so its tests cannot run here.");
        }
        var folder = $"{workspaces.Value.HomePath.TrimEnd('/')}/assignments/{a.Slug}";
        var script = new StringBuilder("# Written by Classcloud for `classcloud test`: runs the visible tests of one assignment.\n");
        script.Append(CultureInfo.InvariantCulture, $"cd {Quote(folder)} || {{ echo {Quote(T("The folder {0} is missing.", folder))} >&2; exit 1; }}\n");
        var tests = Visible(a);
        for (var i = 0; i < tests.Count; i++)
        {
            var t = tests[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            var seconds = (t.TimeLimitMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
            script.Append(CultureInfo.InvariantCulture, $"echo {Quote(T("Running test {0}: {1}", n, t.Name))}\n");
            script.Append(CultureInfo.InvariantCulture, $"printf '%s' {Quote(t.Stdin!.Replace("\0", "", StringComparison.Ordinal))} > \"$CC_OUT/../{n}.in\"\n");
            // The subshell records the exit code; head cuts a flood of output (the program then dies of SIGPIPE),
            // and the file size limit keeps stderr small.
            script.Append(CultureInfo.InvariantCulture,
                $"( ulimit -f 1024; timeout -k 1 {seconds} sh -c {Quote(run)} < \"$CC_OUT/../{n}.in\" 2> \"$CC_OUT/{n}.err\"; echo $? > \"$CC_OUT/{n}.code\" ) | head -c {MaxOutput + 1} > \"$CC_OUT/{n}.out\"\n");
        }
        return script.ToString();
    }

    /// <summary>The report of one local run: each visible test passed or not, with the differences.</summary>
    public async Task<Outcome<string>> JudgeAsync(WorkspaceCliCaller who, string which, IFormFileCollection files, CancellationToken ct)
    {
        var found = await commands.FindAsync(who, which, ct);
        if (!found.Succeeded)
        {
            return found.Problem!;
        }
        var tests = Visible(found.Value!);
        if (tests.Count == 0)
        {
            return T("This assignment has no visible tests to run here.") + "\n";
        }
        var text = new StringBuilder();
        var passed = 0;
        for (var i = 0; i < tests.Count; i++)
        {
            var t = tests[i];
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            var actual = await ReadAsync(files[$"{n}.out"], ct);
            var code = int.TryParse((await ReadAsync(files[$"{n}.code"], ct))?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : (int?)null;
            var timedOut = code is 124 or 137;
            var ok = actual is not null && code is not null && !timedOut && OutputComparer.Matches(t.Compare, t.ExpectedStdout!, actual);
            passed += ok ? 1 : 0;
            text.Append(ok ? "[PASS] " : "[FAIL] ").Append(CultureInfo.InvariantCulture, $"{n}. {t.Name}");
            text.Append(code is null ? "  " + T("(did not run)") : timedOut ? "  " + T("(timed out after {0} ms)", t.TimeLimitMs) : code != 0 ? "  " + T("(exit code {0})", code) : "");
            text.Append('\n');
            if (!ok && actual is not null)
            {
                text.Append("  ").Append(T("Lines with - are expected, lines with + are your program's output:")).Append('\n');
                foreach (var line in TextDiff.Lines(t.ExpectedStdout!, actual).Take(MaxDiffLines))
                {
                    text.Append("  ").Append(line.Kind).Append(' ').Append(line.Text).Append('\n');
                }
                var stderr = await ReadAsync(files[$"{n}.err"], ct);
                if (stderr is { Length: > 0 })
                {
                    text.Append("  stderr: ").Append(stderr.Length > 2000 ? stderr[..2000] + "…" : stderr.TrimEnd()).Append('\n');
                }
            }
        }
        text.Append(T("{0} of {1} visible tests passed.", passed, tests.Count)).Append('\n');
        return text.ToString();
    }

    /// <summary>The tests whose input and output the student may see now (the DTO blanks the others).</summary>
    static List<TestDto> Visible(AssignmentDto a) => [.. a.Tests.Where(t => t.Stdin is not null && t.ExpectedStdout is not null)];

    static async Task<string?> ReadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null)
        {
            return null;
        }
        await using var stream = file.OpenReadStream();
        var buffer = new byte[Math.Min(file.Length, MaxOutput)];
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return Encoding.UTF8.GetString(buffer);
    }

    /// <summary>A single-quoted shell word: nothing inside is interpreted.</summary>
    internal static string Quote(string text) => "'" + text.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}
