namespace Classcloud.Web.Assignments;

/// <summary>
/// An assignment of a course (issue 13): its folder <c>~/assignments/&lt;slug&gt;/</c> is written into every
/// enrolled student's course workspace at <see cref="OpensAt"/> and collected from there at <see cref="DueAt"/>.
/// </summary>
public sealed class Assignment
{
    public long Id { get; set; }
    public long CourseId { get; set; }
    /// <summary>The folder name under ~/assignments (lower-case letters, digits and dashes), unique in the course.</summary>
    public string Slug { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Markdown; written as the folder's README.md.</summary>
    public string Description { get; set; } = "";
    /// <summary>One of <see cref="AssignmentLanguages"/>: decides how the autograder runs a submission.</summary>
    public string Language { get; set; } = AssignmentLanguages.Python;
    /// <summary>The command the autograder runs per test in the submission's folder; null: the language's default.</summary>
    public string? RunCommand { get; set; }
    public DateTime OpensAt { get; set; }
    public DateTime DueAt { get; set; }
    /// <summary>none | penalty | cutoff (<see cref="LatePolicies"/>).</summary>
    public string LatePolicy { get; set; } = LatePolicies.None;
    /// <summary>With <see cref="LatePolicies.Penalty"/>: percent of the score taken per started day late.</summary>
    public int LatePenaltyPercent { get; set; }
    /// <summary>With penalty or cutoff: the last moment a late submission is taken.</summary>
    public DateTime? LateUntil { get; set; }
    /// <summary>The starter files as JSON <c>[{"path","content"}]</c> (small text files, validated on the way in).</summary>
    public string StarterFilesJson { get; set; } = "[]";
    /// <summary>Scores and feedback are visible to the students.</summary>
    public bool Released { get; set; }
    /// <summary>When the deadline collection ran (null: not yet), so a restart neither misses nor repeats it.</summary>
    public DateTime? CollectedAt { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class AssignmentLanguages
{
    public const string Python = "python";
    public const string Shell = "shell";
    public const string Custom = "custom";

    public static readonly IReadOnlyList<string> All = [Python, Shell, Custom];

    /// <summary>What the grader runs per test when the assignment names no command of its own.</summary>
    public static string? DefaultRun(string language) => language switch
    {
        Python => "python3 main.py",
        Shell => "sh main.sh",
        _ => null,
    };
}

public static class LatePolicies
{
    /// <summary>Nothing after the due time is taken.</summary>
    public const string None = "none";
    /// <summary>Taken until <see cref="Assignment.LateUntil"/>, the score reduced per started day.</summary>
    public const string Penalty = "penalty";
    /// <summary>Taken until <see cref="Assignment.LateUntil"/> at full score, marked late.</summary>
    public const string Cutoff = "cutoff";

    public static readonly IReadOnlyList<string> All = [None, Penalty, Cutoff];
}

/// <summary>One test case: the submission runs with <see cref="Stdin"/> and its output is compared with <see cref="ExpectedStdout"/>.</summary>
public sealed class AssignmentTest
{
    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public string Stdin { get; set; } = "";
    public string ExpectedStdout { get; set; } = "";
    /// <summary>exact | trimmed | whitespace | regex | numeric (<see cref="CompareModes"/>).</summary>
    public string Compare { get; set; } = CompareModes.Trimmed;
    public int Points { get; set; }
    public int TimeLimitMs { get; set; }
    public int MemoryMb { get; set; }
    /// <summary>visible | after-due | hidden: when students see the test's input and expected output.</summary>
    public string Visibility { get; set; } = TestVisibility.Visible;
}

public static class CompareModes
{
    public const string Exact = "exact";
    public const string Trimmed = "trimmed";
    public const string Whitespace = "whitespace";
    public const string Regex = "regex";
    public const string Numeric = "numeric";

    public static readonly IReadOnlyList<string> All = [Exact, Trimmed, Whitespace, Regex, Numeric];
}

public static class TestVisibility
{
    public const string Visible = "visible";
    public const string AfterDue = "after-due";
    public const string Hidden = "hidden";

    public static readonly IReadOnlyList<string> All = [Visible, AfterDue, Hidden];
}

/// <summary>A later due time for one student.</summary>
public sealed class AssignmentExtension
{
    public long AssignmentId { get; set; }
    public long UserId { get; set; }
    public DateTime DueAt { get; set; }
    /// <summary>When this extension's collection ran (null: not yet).</summary>
    public DateTime? CollectedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The assignment's folder was written into one workspace's home volume (or why it could not be): once per workspace.</summary>
public sealed class AssignmentDelivery
{
    public long AssignmentId { get; set; }
    public long WorkspaceId { get; set; }
    public DateTime DeliveredAt { get; set; }
    /// <summary>Null when delivered; otherwise the last failure, and the delivery is tried again.</summary>
    public string? Error { get; set; }
}
