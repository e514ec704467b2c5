namespace Classcloud.Web.Assignments;

/// <summary>
/// One collection of a student's assignment folder. What was taken (time, files, hash, archive) never
/// changes; grading adds a score, an override, feedback and results beside it.
/// </summary>
public sealed class Submission
{
    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public long UserId { get; set; }
    /// <summary>The workspace whose home volume it came from (null once that workspace is gone).</summary>
    public long? WorkspaceId { get; set; }
    /// <summary>deadline | submit | collect: the deadline collection, the student's "submit now", the educator's "collect now".</summary>
    public string Source { get; set; } = "";
    public DateTime TakenAt { get; set; }
    public bool Late { get; set; }
    /// <summary>SHA-256 over the sorted file list with each file's content hash (<see cref="SubmissionArchive"/>), lower-case hex.</summary>
    public string ContentHash { get; set; } = "";
    /// <summary>JSON <c>[{"path","type","size","target"}]</c>.</summary>
    public string FilesJson { get; set; } = "[]";
    /// <summary>The stored tar's key under $DATA/files/submissions.</summary>
    public string ArchiveKey { get; set; } = "";
    public long SizeBytes { get; set; }
    /// <summary>What the collection left out (limits) or could not do; null when complete.</summary>
    public string? Note { get; set; }
    /// <summary>none | queued | running | done | error.</summary>
    public string GradeState { get; set; } = GradeStates.None;
    public string? GradeError { get; set; }
    public DateTime? GradedAt { get; set; }
    /// <summary>Points from the tests, after the late policy.</summary>
    public double? Score { get; set; }
    public double MaxScore { get; set; }
    /// <summary>The points of the rubric items ticked for it (null: none ticked), added to <see cref="Score"/>.</summary>
    public double? RubricPoints { get; set; }
    /// <summary>The educator's score, replacing <see cref="Score"/> and the rubric when set.</summary>
    public double? Override { get; set; }
    public string? Feedback { get; set; }

    /// <summary>What counts: the override, or the tests' score plus the rubric's points (null while neither exists).</summary>
    public double? Final => Override ?? (Score is null && RubricPoints is null ? null : Math.Round((Score ?? 0) + (RubricPoints ?? 0), 2));
}

public static class GradeStates
{
    public const string None = "none";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Error = "error";
}

public static class SubmissionSources
{
    public const string Deadline = "deadline";
    public const string Submit = "submit";
    public const string Collect = "collect";
}

/// <summary>One test's run on one submission.</summary>
public sealed class TestResult
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    public long TestId { get; set; }
    public bool Passed { get; set; }
    public double Points { get; set; }
    /// <summary>Standard output, capped (<see cref="AssignmentLimits.Output"/>).</summary>
    public string Actual { get; set; } = "";
    public string Stderr { get; set; } = "";
    public int? ExitCode { get; set; }
    public int TimeMs { get; set; }
    public bool TimedOut { get; set; }
    public string? Note { get; set; }
}
