namespace Classcloud.Web.Projects;

public sealed record ProjectRequest(string? Name, string? Template, string? Access, long? GroupId, long? CourseId);

public sealed record ScalingRequest(int? MinInstances, int? MaxInstances, int? TargetConcurrency, int? IdleMinutes);

/// <summary>Variables to set (a null value removes the variable); values are never shown again.</summary>
public sealed record EnvironmentRequest(Dictionary<string, string?>? Variables);

public sealed record ScalingDto(int MinInstances, int MaxInstances, int TargetConcurrency, int IdleMinutes);

public sealed record ProjectDto(
    long Id, string Name, string Url, long OwnerId, long? GroupId, long? CourseId, string Access, string? Template,
    ScalingDto Scaling, IReadOnlyList<string> EnvironmentNames, bool HasSource, int? Revision, int Instances,
    BuildDto? LastBuild, DateTime CreatedAt, DateTime UpdatedAt, GitSourceDto? Git = null);

/// <summary>A project's Git source; the deploy key itself is never shown again.</summary>
public sealed record GitSourceDto(string Url, string? Branch, bool HasDeployKey);

/// <summary><c>POST …/source</c> with JSON: an https repository, its branch (default: the remote's default) and an optional deploy key (an access token).</summary>
public sealed record GitSourceRequest(string? GitUrl, string? Branch, string? DeployKey, string? DeployUser);

/// <summary>Where a Git host sends its push events; the secret only in the answer that made it.</summary>
public sealed record HookDto(string Url, string? Branch, bool HasSecret, string? Secret);

public sealed record BuildDto(long Id, string Status, string? Template, string? Explanation, int? Revision, DateTime CreatedAt, DateTime? FinishedAt, string? Commit = null);

public sealed record RevisionDto(int Number, string Image, string? Digest, string Template, bool Current, DateTime CreatedAt);

/// <summary>An accepted source: a ZIP's files and template, or a repository's branch and its current commit.</summary>
public sealed record SourceDto(long Files, long Bytes, string? Template, string Explanation, string? GitUrl = null, string? Branch = null, string? Commit = null)
{
    /// <summary>The webhook secret made with a project's first repository: shown in this answer only (later, <c>POST …/hook</c> makes a new one).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? HookSecret { get; init; }
}
