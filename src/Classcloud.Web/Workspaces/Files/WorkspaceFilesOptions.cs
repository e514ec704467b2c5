using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>Classcloud:WorkspaceFiles — uploads into and downloads from a running workspace's home.</summary>
public sealed class WorkspaceFilesOptions
{
    public const string Section = "Classcloud:WorkspaceFiles";

    /// <summary>Most bytes one upload may carry, all its files together (default 100 MiB).</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most files one upload may carry.</summary>
    public int MaxUploadFiles { get; set; } = 100;
}

internal sealed class WorkspaceFilesOptionsValidator : IValidateOptions<WorkspaceFilesOptions>
{
    /// <summary>Kestrel and the form reader are given the limit as it is; past 2 GiB a browser upload is no longer the right tool.</summary>
    const long Ceiling = 2L * 1024 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, WorkspaceFilesOptions options)
    {
        var errors = new List<string>();
        if (options.MaxUploadBytes is <= 0 or > Ceiling)
        {
            errors.Add($"{WorkspaceFilesOptions.Section}:MaxUploadBytes must be between 1 and {Ceiling} (it is {options.MaxUploadBytes}).");
        }
        if (options.MaxUploadFiles is < 1 or > 10_000)
        {
            errors.Add($"{WorkspaceFilesOptions.Section}:MaxUploadFiles must be between 1 and 10000 (it is {options.MaxUploadFiles}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
