namespace Classcloud.Web.Projects;

/// <summary>
/// A deployed web app (issue 14): its name is its subdomain under the apps domain. The creator is
/// <see cref="OwnerId"/>; a group or a course may share it (<see cref="GroupId"/>, <see cref="CourseId"/>),
/// which decides who manages it and who may open it when <see cref="Access"/> says group or course.
/// </summary>
public sealed class Project
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public long OwnerId { get; set; }
    public long? GroupId { get; set; }
    public long? CourseId { get; set; }
    /// <summary><see cref="ProjectAccess"/>: public, signed-in, course, group, private.</summary>
    public string Access { get; set; } = ProjectAccess.Private;
    /// <summary>The template asked for; null: detected at each build.</summary>
    public string? Template { get; set; }
    public int MinInstances { get; set; }
    public int MaxInstances { get; set; } = 1;
    public int TargetConcurrency { get; set; } = 50;
    public int IdleMinutes { get; set; } = 5;
    /// <summary>Variable name → value protected with <see cref="Controller.WorkloadDefinition.SecretPurpose"/>, as JSON.</summary>
    public string EnvironmentJson { get; set; } = "{}";
    /// <summary>When the last source ZIP was accepted; null: nothing to build yet.</summary>
    public DateTime? SourceUploadedAt { get; set; }
    /// <summary>An https Git repository cloned at each build instead of an uploaded ZIP; null: the ZIP.</summary>
    public string? GitUrl { get; set; }
    /// <summary>The branch built and watched by the webhook; null: the repository's default branch.</summary>
    public string? GitBranch { get; set; }
    /// <summary>An access token for a private repository (sent as HTTP basic auth), protected like the variables.</summary>
    public string? GitDeployKey { get; set; }
    /// <summary>The user name sent with <see cref="GitDeployKey"/> (GitLab's deploy tokens have one); null: a placeholder.</summary>
    public string? GitDeployUser { get; set; }
    /// <summary>The push webhook's secret, protected with Data Protection (an HMAC needs the secret itself, not a hash).</summary>
    public string? HookSecret { get; set; }
    public long? CurrentRevisionId { get; set; }
    /// <summary>The last request the gateway forwarded (written at most every few seconds); the idle scaler reads it.</summary>
    public DateTime? LastRequestAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One build of a project's source: its log, and the revision it made when it succeeded.</summary>
public sealed class ProjectBuild
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    /// <summary><see cref="BuildStates"/>.</summary>
    public string Status { get; set; } = BuildStates.Queued;
    public string? Template { get; set; }
    /// <summary>Why that template ("found package.json with a start script").</summary>
    public string? Explanation { get; set; }
    public string Log { get; set; } = "";
    public int? RevisionNumber { get; set; }
    /// <summary>The Git commit built (a Git source); null for a ZIP.</summary>
    public string? Commit { get; set; }
    public long RequestedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>An image in the registry that the project can run: a build's result.</summary>
public sealed class ProjectRevision
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public int Number { get; set; }
    public long BuildId { get; set; }
    public string Image { get; set; } = "";
    public string? Digest { get; set; }
    public string Template { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public static class BuildStates
{
    public const string Queued = "queued";
    public const string Building = "building";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

public static class ProjectAccess
{
    public const string Public = "public";
    public const string SignedIn = "signed-in";
    public const string Course = "course";
    public const string Group = "group";
    public const string Private = "private";

    public static readonly string[] All = [Public, SignedIn, Course, Group, Private];
}
