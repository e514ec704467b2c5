using System.Text.RegularExpressions;

namespace Classcloud.Platform;

/// <summary>One image name in Classcloud's scheme: <c>{Registry}/classcloud/{Kind}/{Owner}/{Name}:{Tag}</c>.</summary>
/// <param name="Registry">Registry address, <c>host</c> or <c>host:port</c>.</param>
/// <param name="Kind">What made it: <c>image</c> (a recipe), <c>workspace</c> (a snapshot), <c>app</c>, …</param>
/// <param name="Owner">Whose it is: <c>system</c> for the recipes, else the owner's id.</param>
/// <param name="Name">The image's own name.</param>
/// <param name="Tag">Its tag.</param>
public sealed record ImageName(string Registry, string Kind, string Owner, string Name, string Tag)
{
    /// <summary>The repository without the tag.</summary>
    public string Repository => $"{Registry}/{ImageNames.Namespace}/{Kind}/{Owner}/{Name}";

    /// <summary>The full reference, <c>repository:tag</c>.</summary>
    public override string ToString() => $"{Repository}:{Tag}";
}

/// <summary>
/// Builds and checks the names of images Classcloud makes. Every part is lower case so the name is
/// valid in every OCI registry (Docker refuses upper case in repositories) and the registry address
/// is a parameter, so the same image can be named for the embedded registry or for Harbor.
/// </summary>
public static partial class ImageNames
{
    /// <summary>The first path component of every image Classcloud makes.</summary>
    public const string Namespace = "classcloud";

    /// <summary>The owner of the images built from the recipes in <c>images/</c>.</summary>
    public const string SystemOwner = "system";

    /// <summary>The kind of an image built from a recipe.</summary>
    public const string RecipeKind = "image";

    /// <summary>Longest kind.</summary>
    public const int MaxKindLength = 32;

    /// <summary>Longest owner or name.</summary>
    public const int MaxPartLength = 64;

    /// <summary>Longest tag (the distribution spec's limit).</summary>
    public const int MaxTagLength = 128;

    /// <summary>Longest repository, registry included (Docker's limit).</summary>
    public const int MaxRepositoryLength = 255;

    /// <summary>The name of a system image, e.g. <c>127.0.0.1:5000/classcloud/image/system/terminal:1a2b3c</c>.</summary>
    /// <exception cref="ArgumentException">A part is not valid.</exception>
    public static ImageName System(string registry, string name, string tag) => Create(registry, RecipeKind, SystemOwner, name, tag);

    /// <summary>Checks every part and returns the name.</summary>
    /// <exception cref="ArgumentException">A part is not valid; the message names which and why.</exception>
    public static ImageName Create(string registry, string kind, string owner, string name, string tag)
    {
        var problem = !IsValidRegistry(registry) ? $"registry '{registry}' is not a lower-case host or host:port"
            : !IsValidPart(kind, MaxKindLength) ? $"kind '{kind}' {PartRule(MaxKindLength)}"
            : !IsValidPart(owner, MaxPartLength) ? $"owner '{owner}' {PartRule(MaxPartLength)}"
            : !IsValidPart(name, MaxPartLength) ? $"name '{name}' {PartRule(MaxPartLength)}"
            : !IsValidTag(tag) ? $"tag '{tag}' must be 1–{MaxTagLength} lower-case letters, digits, '_', '.' or '-', not starting with '.' or '-'"
            : null;
        var image = new ImageName(registry, kind, owner, name, tag);
        if (problem is null && image.Repository.Length > MaxRepositoryLength)
        {
            problem = $"'{image.Repository}' is longer than {MaxRepositoryLength} characters";
        }
        return problem is null ? image : throw new ArgumentException($"Not a valid image name: {problem}.");
    }

    /// <summary>Reads a reference in Classcloud's scheme back into its parts; false for anything else.</summary>
    public static bool TryParse(string? reference, out ImageName? image)
    {
        image = null;
        var match = reference is null ? null : ReferencePattern().Match(reference);
        if (match is not { Success: true })
        {
            return false;
        }
        try
        {
            image = Create(match.Groups["registry"].Value, match.Groups["kind"].Value, match.Groups["owner"].Value,
                match.Groups["name"].Value, match.Groups["tag"].Value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A registry address: lower-case DNS name or IPv4 address, optionally with a port.</summary>
    public static bool IsValidRegistry(string? registry) =>
        registry is { Length: > 0 and <= 253 } && RegistryPattern().IsMatch(registry);

    /// <summary>A path component: lower-case letters and digits, single '.', '_' or '-' between them.</summary>
    public static bool IsValidPart(string? part, int maxLength = MaxPartLength) =>
        part is not null && part.Length <= maxLength && PartPattern().IsMatch(part);

    /// <summary>A tag: lower-case letters, digits, '_', '.', '-'; not starting with '.' or '-'.</summary>
    public static bool IsValidTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    static string PartRule(int max) => $"must be 1–{max} lower-case letters and digits, with single '.', '_' or '-' between them";

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*$")]
    private static partial Regex PartPattern();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^(?<registry>[^/]+)/classcloud/(?<kind>[^/:]+)/(?<owner>[^/:]+)/(?<name>[^/:]+):(?<tag>[^/:]+)$")]
    private static partial Regex ReferencePattern();
}
