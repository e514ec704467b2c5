using System.Text.RegularExpressions;

namespace Classcloud.Platform.Tests.Infrastructure;

/// <summary>
/// The Debian mirror this machine's apt uses for bookworm, so mmdebstrap fetches from the same
/// place (deb.debian.org may not be reachable; a local mirror or proxy may be configured).
/// </summary>
internal static partial class AptMirror
{
    public static string Find(string suite = "bookworm")
    {
        var files = new List<string>();
        if (File.Exists("/etc/apt/sources.list"))
        {
            files.Add("/etc/apt/sources.list");
        }
        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            files.AddRange(Directory.GetFiles("/etc/apt/sources.list.d").Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var found = file.EndsWith(".sources", StringComparison.Ordinal) ? FromDeb822(text, suite) : FromOneLine(text, suite);
            if (found is not null)
            {
                return found;
            }
        }
        throw new InvalidOperationException($"No apt source for Debian {suite} in /etc/apt/sources.list(.d); the test image cannot be built.");
    }

    internal static string? FromOneLine(string text, string suite)
    {
        foreach (var line in text.Split('\n'))
        {
            var m = OneLine().Match(line);
            if (m.Success && m.Groups["suite"].Value == suite)
            {
                return m.Groups["uri"].Value;
            }
        }
        return null;
    }

    internal static string? FromDeb822(string text, string suite)
    {
        foreach (var stanza in Regex.Split(text, @"\n\s*\n"))
        {
            var fields = stanza.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (fields.GetValueOrDefault("Enabled") == "no" || !fields.GetValueOrDefault("Types", "").Split(' ').Contains("deb"))
            {
                continue;
            }
            if (fields.GetValueOrDefault("Suites", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(suite)
                && fields.GetValueOrDefault("URIs", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } uri)
            {
                return uri;
            }
        }
        return null;
    }

    [GeneratedRegex(@"^\s*deb\s+(\[[^\]]*\]\s+)?(?<uri>\S+)\s+(?<suite>\S+)")]
    private static partial Regex OneLine();
}
