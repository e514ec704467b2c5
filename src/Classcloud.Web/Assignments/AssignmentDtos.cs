namespace Classcloud.Web.Assignments;

public sealed record StarterFile(string? Path, string? Content);

public sealed record TestRequest(string? Name, string? Stdin, string? ExpectedStdout, string? Compare, int? Points, int? TimeLimitMs, int? MemoryMb, string? Visibility);

/// <summary>Late policy: <c>kind</c> none | penalty | cutoff; <c>percentPerDay</c> for penalty; <c>until</c> for both.</summary>
public sealed record LatePolicyRequest(string? Kind, int? PercentPerDay, DateTimeOffset? Until);

public sealed record AssignmentRequest(
    string? Title, string? Slug, string? Description, string? Language, string? RunCommand, DateTimeOffset? OpensAt, DateTimeOffset? DueAt,
    LatePolicyRequest? LatePolicy, IReadOnlyList<StarterFile>? StarterFiles, IReadOnlyList<TestRequest>? Tests,
    IReadOnlyList<RubricItemRequest>? Rubric = null);

/// <summary>A rubric line: what the educator checks by hand, and its points (negative for a deduction).</summary>
public sealed record RubricItemRequest(string? Text, double? Points);

/// <summary><see cref="Checked"/> only in a submission's view.</summary>
public sealed record RubricItemDto(long Id, string Text, double Points, bool? Checked);

public sealed record LineCommentRequest(string? Path, int? Line, string? Text);

public sealed record LineCommentDto(long Id, string Path, int Line, string Text, string AuthorName, DateTime CreatedAt);

public sealed record TestDto(long Id, string Name, string? Stdin, string? ExpectedStdout, string Compare, int Points, int TimeLimitMs, int MemoryMb, string Visibility);

public sealed record LatePolicyDto(string Kind, int PercentPerDay, DateTime? Until);

/// <summary>The caller's own view: their due time (an extension moves it), their latest submission and state.</summary>
public sealed record AssignmentDto(
    long Id, long CourseId, string Slug, string Title, string Description, string Language, string? RunCommand,
    DateTime OpensAt, DateTime DueAt, LatePolicyDto LatePolicy, bool Released, DateTime? CollectedAt,
    IReadOnlyList<StarterFile> StarterFiles, IReadOnlyList<TestDto> Tests, int MaxPoints,
    string State, DateTime? MyDueAt, SubmissionSummaryDto? MySubmission)
{
    public IReadOnlyList<RubricItemDto> Rubric { get; init; } = [];
}

public sealed record SubmissionSummaryDto(
    long Id, long AssignmentId, long UserId, string UserName, string Source, DateTime TakenAt, bool Late, string ContentHash,
    long SizeBytes, int FileCount, string? Note, string GradeState, double? Score, double MaxScore, double? Override, double? FinalScore);

public sealed record SubmissionFileDto(string Path, string Type, long Size, string? Target);

public sealed record TestResultDto(
    long TestId, string Name, bool Passed, double Points, int MaxPoints, string? Stdin, string? Expected, string? Actual, string? Stderr,
    int? ExitCode, int TimeMs, bool TimedOut, string? Note);

public sealed record SubmissionDto(
    SubmissionSummaryDto Summary, IReadOnlyList<SubmissionFileDto> Files, string? GradeError, DateTime? GradedAt, string? Feedback,
    bool Released, IReadOnlyList<TestResultDto> Results)
{
    /// <summary>The assignment's rubric with this submission's ticks (the ticks only for educators or once released).</summary>
    public IReadOnlyList<RubricItemDto> Rubric { get; init; } = [];

    /// <summary>Line comments: for educators, and for the student once released.</summary>
    public IReadOnlyList<LineCommentDto> Comments { get; init; } = [];

    /// <summary>The rubric's points for this submission (educators, or once released).</summary>
    public double? RubricPoints { get; init; }
}

/// <summary><c>rubric</c>: the ids of the ticked rubric items (absent: the ticks stay as they are).</summary>
public sealed record GradeRequest(double? Override, string? Feedback, IReadOnlyList<long>? Rubric = null);

public sealed record ExtensionRequest(DateTimeOffset? DueAt);

public sealed record ExtensionDto(long AssignmentId, long UserId, DateTime DueAt);

/// <summary>"Grade all": how many submissions wait, run, are done or failed.</summary>
public sealed record GradingProgressDto(int Queued, int Running, int Done, int Failed, int Total);

public sealed record CollectReportDto(int Collected, int Failed, IReadOnlyList<string> Notes);
