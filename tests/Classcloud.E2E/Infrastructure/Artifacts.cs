using Microsoft.Playwright;

namespace Classcloud.E2E.Infrastructure;

/// <summary>
/// Where screenshots go: $CLASSCLOUD_TEST_RESULTS, else .artifacts/test-results/e2e beside
/// Classcloud.slnx (the folder test.sh collects its results in).
/// </summary>
public static class Artifacts
{
    /// <summary>The folder holding Classcloud.slnx, above this test binary.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    // After RepositoryRoot: static initializers run in the order they are written.
    public static string Directory { get; } = Find();

    public static string PathFor(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(Directory, safe);
    }

    /// <summary>
    /// A full-page screenshot into the results folder; with CLASSCLOUD_UPDATE_DOCS_IMAGES=1 also into docs/images
    /// (the pictures the docs show), so an ordinary test run leaves the working tree as it was.
    /// </summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = PathFor(name), FullPage = true });
        CopyToDocs(name);
    }

    /// <summary>With CLASSCLOUD_UPDATE_DOCS_IMAGES=1, copies a screenshot from the test results into docs/images.</summary>
    public static void CopyToDocs(string name)
    {
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_UPDATE_DOCS_IMAGES") != "1")
        {
            return;
        }
        var docs = Path.Combine(RepositoryRoot, "docs", "images");
        System.IO.Directory.CreateDirectory(docs);
        File.Copy(PathFor(name), Path.Combine(docs, name), overwrite: true);
    }

    static string Find() =>
        Environment.GetEnvironmentVariable("CLASSCLOUD_TEST_RESULTS") is { Length: > 0 } configured
            ? Path.Combine(configured, "e2e")
            : Path.Combine(RepositoryRoot, ".artifacts", "test-results", "e2e");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Classcloud.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Classcloud.slnx not found above {AppContext.BaseDirectory}.");
    }
}
