using System.Reflection;
using System.Text.RegularExpressions;
using Classcloud.Web.Admin;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Admin;

/// <summary>
/// Every audit action the platform records reads as a sentence on the audit page (issue 17): the LTI and project
/// actions showed their raw codes until this test named them. Codes come from two places: literals handed to
/// <c>Record("…")</c> in the sources, and the constants of the audit code classes.
/// </summary>
public sealed partial class AuditWordsTests
{
    [GeneratedRegex("""\.Record\("([a-z][a-z0-9\-]*(?:\.[a-z0-9\-]+)+)"[,)]""")]
    private static partial Regex Literal();

    [Fact]
    public void Every_recorded_action_has_a_sentence()
    {
        var sources = Path.Combine(ProcessHost.RepositoryRoot(), "src", "Classcloud.Web");
        var literals = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Literal().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value));
        var constants = typeof(AuditWords).Assembly.GetTypes()
            .Where(t => t.Name is "AuditActions" or "CourseAudit")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            .Select(f => (string)f.GetRawConstantValue()!);
        var codes = literals.Concat(constants).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lti.enrol", codes); // the scan sees the sources
        var missing = codes.Where(c => AuditWords.English(c) is null).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Give these audit actions a sentence in Admin/AuditWords.cs (and Korean): {string.Join(", ", missing)}");
    }
}
