namespace Classcloud.Web.Assignments.Similarity;

/// <summary>The top pairs of an assignment's latest submissions, most similar first, and the parameters that made them.</summary>
public sealed record SimilarityReportDto(long AssignmentId, int Submissions, int K, int Window, int CommonAbove, IReadOnlyList<SimilarityPairDto> Pairs);

/// <summary>Score and percents are 0–100: the score is the mean of the two sides' shared parts.</summary>
public sealed record SimilarityPairDto(SimilaritySideDto Left, SimilaritySideDto Right, int Shared, double Score);

public sealed record SimilaritySideDto(long SubmissionId, long UserId, string UserName, double Percent, IReadOnlyList<LineRangeDto> Ranges);

public sealed record LineRangeDto(string Path, int From, int To);

/// <summary>One side of the side-by-side view: its files as text with the marked ranges.</summary>
public sealed record SimilarityFilesDto(long SubmissionId, string UserName, IReadOnlyList<SimilarityFileView> Files);

/// <summary>A file's lines and, per line, whether the other side has it too.</summary>
public sealed record SimilarityFileView(string Path, IReadOnlyList<string> Lines, IReadOnlyList<bool> Marked);
