namespace Classcloud.Web.Projects;

public sealed record ProjectRequest(string? Name, string? Template, string? Access, long? GroupId, long? CourseId);

public sealed record ScalingRequest(int? MinInstances, int? MaxInstances, int? TargetConcurrency, int? IdleMinutes);

/// <summary>Variables to set (a null value removes the variable); values are never shown again.</summary>
public sealed record EnvironmentRequest(Dictionary<string, string?>? Variables);

public sealed record ScalingDto(int MinInstances, int MaxInstances, int TargetConcurrency, int IdleMinutes);

public sealed record ProjectDto(
    long Id, string Name, string Url, long OwnerId, long? GroupId, long? CourseId, string Access, string? Template,
    ScalingDto Scaling, IReadOnlyList<string> EnvironmentNames, bool HasSource, int? Revision, int Instances,
    BuildDto? LastBuild, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record BuildDto(long Id, string Status, string? Template, string? Explanation, int? Revision, DateTime CreatedAt, DateTime? FinishedAt);

public sealed record RevisionDto(int Number, string Image, string? Digest, string Template, bool Current, DateTime CreatedAt);

public sealed record SourceDto(long Files, long Bytes, string? Template, string Explanation);
