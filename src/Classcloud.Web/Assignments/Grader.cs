using Classcloud.Platform;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Runs one submission's tests in a fresh sandbox (<see cref="AssignmentContainers.InSandboxAsync{T}"/>), all in one
/// exec (<see cref="Sandbox.RunAllAsync"/>): each test with its input, cut at its time limit, its output capped and
/// compared; the score is the passed tests' points after the late policy. Results replace the previous ones (a regrade).
/// </summary>
public sealed class Grader(ClasscloudDb db, AssignmentContainers containers, SubmissionArchive archive, IOptions<AssignmentsOptions> options, TimeProvider clock,
    ILogger<Grader> log)
{
    /// <summary>Claims the oldest queued submission (<see cref="GradingQueue"/>) and grades it; false when none was waiting.</summary>
    public async Task<bool> GradeNextAsync(CancellationToken ct)
    {
        if (await GradingQueue.ClaimNextAsync(db, ct) is not { } next)
        {
            return false;
        }
        await GradeAsync(next, ct);
        return true;
    }

    public async Task GradeAsync(Submission s, CancellationToken ct)
    {
        var a = await db.Assignments.SingleAsync(x => x.Id == s.AssignmentId, ct);
        var tests = await db.AssignmentTests.Where(t => t.AssignmentId == a.Id).OrderBy(t => t.Position).ToListAsync(ct);
        var results = new List<TestResult>();
        try
        {
            var command = a.RunCommand ?? AssignmentLanguages.DefaultRun(a.Language) ?? throw new InvalidOperationException("No run command.");
            if (tests.Count > 0)
            {
                var tar = await archive.ReadAllAsync(s.ArchiveKey, ct);
                var memory = tests.Max(t => t.MemoryMb);
                results = await containers.InSandboxAsync(tar, memory, async sandbox =>
                {
                    var batch = options.Value.BatchTests
                        ? await sandbox.RunAllAsync(command, [.. tests.Select(t => (t.Stdin, t.TimeLimitMs))], ct)
                        : new TestRun?[tests.Count];
                    var list = new List<TestResult>();
                    foreach (var (test, i) in tests.Select((t, i) => (t, i)))
                    {
                        // What the batch could not report runs on its own, as every test did before.
                        var run = batch[i] ?? await sandbox.RunAsync(command, test.Stdin, test.TimeLimitMs, ct);
                        list.Add(Result(s, test, run));
                    }
                    return list;
                }, ct);
            }
            await db.TestResults.Where(r => r.SubmissionId == s.Id).ExecuteDeleteAsync(ct);
            db.TestResults.AddRange(results);
            s.MaxScore = tests.Sum(t => t.Points);
            s.Score = Math.Round(results.Sum(r => r.Points) * LateFactor(a, s), 2);
            s.GradeState = GradeStates.Done;
            s.GradeError = null;
        }
        // NotSupportedException: a platform that cannot do what the sandbox asks (stdin closed on an API server before
        // Kubernetes 1.30) — an error the teacher sees, not a submission left "running" for good.
        catch (Exception ex) when (ex is PlatformException or InvalidOperationException or IOException or ArgumentException or NotSupportedException)
        {
            log.LogWarning(ex, "Grading submission {Submission} failed", s.Id);
            s.GradeState = GradeStates.Error;
            s.GradeError = ex.Message.Length > AssignmentLimits.Note ? ex.Message[..AssignmentLimits.Note] : ex.Message;
        }
        s.GradedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    static TestResult Result(Submission s, AssignmentTest test, TestRun run)
    {
        var elapsed = run.ElapsedMs;
        // timeout ends with 124, or 137 when its KILL reached itself too; the OOM killer's 137 comes before the limit.
        // Held: a watchdog stopped what outlived the program (it escaped the process group and kept the output open).
        var timedOut = run.Held || run.ExitCode is 124 or 137 && elapsed >= test.TimeLimitMs;
        var passed = run.ExitCode == 0 && !run.Truncated && OutputComparer.Matches(test.Compare, test.ExpectedStdout, run.Stdout);
        string? note = timedOut ? $"Stopped at the time limit ({test.TimeLimitMs} ms)."
            : run.ExitCode == 137 ? "Killed (the memory limit or another signal)."
            : run.Truncated ? $"The output went past {AssignmentLimits.Output / 1024} KiB and was cut."
            : run.ExitCode != 0 ? $"Exited with {run.ExitCode}."
            : null;
        return new TestResult
        {
            SubmissionId = s.Id, TestId = test.Id, Passed = passed, Points = passed ? test.Points : 0,
            Actual = Cap(run.Stdout), Stderr = Cap(run.Stderr), ExitCode = run.ExitCode, TimeMs = elapsed, TimedOut = timedOut, Note = note,
        };
    }

    /// <summary>1 on time; with the penalty policy, less the percent per started day late (never below 0).</summary>
    public static double LateFactor(Assignment a, Submission s)
    {
        if (!s.Late || a.LatePolicy != LatePolicies.Penalty)
        {
            return 1;
        }
        var days = Math.Ceiling((s.TakenAt - a.DueAt).TotalDays);
        return Math.Max(0, 1 - a.LatePenaltyPercent * Math.Max(1, days) / 100.0);
    }

    static string Cap(string text) => text.Length > AssignmentLimits.Output ? text[..AssignmentLimits.Output] : text;
}
