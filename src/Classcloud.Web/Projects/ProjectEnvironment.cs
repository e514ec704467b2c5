using System.Text.Json;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Projects;

/// <summary>
/// A project's environment variables: each value protected with the workload secret purpose (Data Protection),
/// so the database never holds them readable and the workload spec carries them as secret environment as they are.
/// The API shows names only.
/// </summary>
public static partial class ProjectEnvironment
{
    public const int MaxVariables = 100;
    public const int MaxValueLength = 4096;

    public static Dictionary<string, string> Read(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(Dictionary<string, string> protectedValues) => JsonSerializer.Serialize(protectedValues);

    /// <summary>Null when the name may be set, else why not.</summary>
    public static string? CheckName(string name) =>
        !NamePattern().IsMatch(name) ? "A variable name is letters, digits and '_', not starting with a digit (at most 100)."
        : name == "PORT" ? "PORT is set by the platform." : null;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex NamePattern();
}
