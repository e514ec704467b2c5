using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>Top-level settings under the "Classcloud" configuration section.</summary>
public sealed class ClasscloudOptions
{
    public const string Section = "Classcloud";

    /// <summary>Where the embedded default keeps its database, mail pickup folder and files.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Public base address used in mailed links, e.g. https://classcloud.example.ac.kr.</summary>
    public string? PublicUrl { get; set; }

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}

internal sealed class ClasscloudOptionsValidator : IValidateOptions<ClasscloudOptions>
{
    public ValidateOptionsResult Validate(string? name, ClasscloudOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            return ValidateOptionsResult.Fail("Classcloud:DataDirectory must not be empty.");
        }
        if (options.PublicUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return ValidateOptionsResult.Fail($"Classcloud:PublicUrl must be an absolute URL (got '{url}').");
        }
        return ValidateOptionsResult.Success;
    }
}
