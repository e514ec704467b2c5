using Microsoft.Extensions.Options;

namespace Classcloud.Web.Courses;

/// <summary>Limits of the course feature (Classcloud:Courses): attachments and roster files.</summary>
public sealed class CoursesOptions
{
    public const string Section = "Classcloud:Courses";

    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>File name endings that may be attached, comma-separated. SVG is left out on purpose: it can carry script.</summary>
    public string AllowedAttachmentExtensions { get; set; } =
        ".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,.md,.csv,.zip,.tar,.gz,.7z,.hwp,.hwpx,.doc,.docx,.ppt,.pptx,.xls,.xlsx," +
        ".c,.h,.cpp,.hpp,.cs,.java,.py,.js,.ts,.go,.rs,.kt,.ipynb,.json,.yaml,.yml,.sql,.sh";

    public long MaxRosterBytes { get; set; } = 1024 * 1024;

    public int MaxRosterRows { get; set; } = 5_000;

    public IReadOnlySet<string> AllowedExtensions =>
        AllowedAttachmentExtensions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.StartsWith('.') ? e.ToLowerInvariant() : "." + e.ToLowerInvariant()).ToHashSet();
}

internal sealed class CoursesOptionsValidator : IValidateOptions<CoursesOptions>
{
    public ValidateOptionsResult Validate(string? name, CoursesOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAttachmentBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add($"Classcloud:Courses:MaxAttachmentBytes must be between 1024 and 1073741824 (got {options.MaxAttachmentBytes}).");
        }
        if (options.MaxRosterBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"Classcloud:Courses:MaxRosterBytes must be between 1024 and 67108864 (got {options.MaxRosterBytes}).");
        }
        if (options.MaxRosterRows is < 1 or > 100_000)
        {
            failures.Add($"Classcloud:Courses:MaxRosterRows must be between 1 and 100000 (got {options.MaxRosterRows}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
