using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>Classcloud:Assignments — collection limits, the grading sandbox and the background pass.</summary>
public sealed class AssignmentsOptions
{
    public const string Section = "Classcloud:Assignments";

    /// <summary>The image tests run in; unset: the terminal image (it has python3 and sh).</summary>
    public string? GraderImage { get; set; }

    /// <summary>A collected folder beyond this is cut, with a note on the submission.</summary>
    public long MaxSubmissionBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Entries (files, folders, links) kept per submission; the rest are left out with a note.</summary>
    public int MaxSubmissionFiles { get; set; } = 1000;

    public double SandboxCpus { get; set; } = 1;

    public int SandboxPids { get; set; } = 64;

    /// <summary>The sandbox's tmpfs work directory (counts against its memory).</summary>
    public long SandboxWorkBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The <c>classcloud</c> command in Docker course workspaces: a token per workspace and a Unix socket serving only
    /// the workspace-CLI routes (Assignments/WorkspaceCli). Off: course workspaces get neither.
    /// </summary>
    public bool WorkspaceCli { get; set; } = true;

    /// <summary>
    /// Submissions graded at once, each in its own sandbox (most of a sandbox's life is waiting on the engine); default
    /// half the processor count, at least 1. The machine's cores are shared with the workspaces: more is not free.
    /// </summary>
    public int GradingConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Run all of a submission's tests in one exec (Grading/TestBatch); off: one exec per test, ~0.1 s more per test
    /// on Docker. Either way a test the batch could not report runs on its own.
    /// </summary>
    public bool BatchTests { get; set; } = true;

    /// <summary>How often the background pass delivers folders, collects at deadlines and grades queued submissions.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class AssignmentsOptionsValidator : IValidateOptions<AssignmentsOptions>
{
    public ValidateOptionsResult Validate(string? name, AssignmentsOptions o) =>
        o.MaxSubmissionBytes < 1024 || o.MaxSubmissionFiles < 1 || o.SandboxCpus <= 0 || o.SandboxPids < 8 || o.SandboxWorkBytes < 1024 * 1024
            || o.CheckInterval <= TimeSpan.Zero || o.GradingConcurrency is < 1 or > 64 || o.GraderImage is { } image && string.IsNullOrWhiteSpace(image)
            ? ValidateOptionsResult.Fail($"{AssignmentsOptions.Section}: MaxSubmissionBytes (≥ 1 KiB), MaxSubmissionFiles, SandboxCpus, SandboxPids (≥ 8), SandboxWorkBytes (≥ 1 MiB) and CheckInterval must be positive, GradingConcurrency 1–64; GraderImage an image reference when set.")
            : ValidateOptionsResult.Success;
}
