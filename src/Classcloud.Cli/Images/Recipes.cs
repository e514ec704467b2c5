using System.Security.Cryptography;
using System.Text;

namespace Classcloud.Cli.Images;

/// <summary>
/// One folder of the recipes directory. <c>base</c> has a <c>build.sh</c> that imports a root
/// filesystem into the engine; every other recipe has a Dockerfile that builds <c>FROM ${BASE}</c>.
/// </summary>
internal sealed record Recipe(string Name, string Folder, bool IsBase)
{
    public const string BaseName = "base";

    /// <summary>
    /// Hash of every file of the recipe (relative path and bytes, in ordinal order) and of the
    /// recipe it builds on, so a changed base rebuilds everything above it.
    /// </summary>
    public string Hash(string? parentHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{Name}\n{parentHash}\n"));
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{file.Replace('\\', '/')}\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(Folder, file)));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>The recipes directory: finding it, listing it, ordering a selection.</summary>
internal static class Recipes
{
    /// <summary>The <c>images/</c> folder of the repository: walks up from the working directory, then from the program.</summary>
    public static string? FindDefaultDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "images");
                if (File.Exists(Path.Combine(candidate, Recipe.BaseName, "build.sh")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>Every recipe in <paramref name="directory"/>: base (build.sh) and the folders with a Dockerfile.</summary>
    public static IReadOnlyList<Recipe> List(string directory) =>
    [
        .. Directory.EnumerateDirectories(directory)
            .Select(d => new Recipe(Path.GetFileName(d), d, Path.GetFileName(d) == Recipe.BaseName))
            .Where(r => r.IsBase ? File.Exists(Path.Combine(r.Folder, "build.sh")) : File.Exists(Path.Combine(r.Folder, "Dockerfile")))
            .OrderBy(r => r.IsBase ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The recipes to build, base first (everything builds on it), then the requested ones in the
    /// order given (all when none are named). Returns the unknown names instead when there are any.
    /// </summary>
    public static (IReadOnlyList<Recipe> Order, IReadOnlyList<string> Unknown) Select(IReadOnlyList<Recipe> all, IReadOnlyList<string> names)
    {
        var byName = all.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var unknown = names.Where(n => !byName.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0 || !byName.TryGetValue(Recipe.BaseName, out var baseRecipe))
        {
            return ([], unknown.Count > 0 ? unknown : [Recipe.BaseName]);
        }
        var wanted = names.Count == 0 ? all.Where(r => !r.IsBase).Select(r => r.Name) : names.Where(n => n != Recipe.BaseName);
        return ([baseRecipe, .. wanted.Distinct(StringComparer.Ordinal).Select(n => byName[n])], []);
    }
}
