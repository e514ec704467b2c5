using System.Net;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Projects.Domains;

/// <summary>Which host names a project may claim: a public DNS name of two labels or more, not one of the platform's own.</summary>
public static partial class DomainRules
{
    public const int MaxHost = 253;
    public const int MaxPerProject = 5;
    public const string RecordPrefix = "_classcloud.";

    /// <summary>The host in its one spelling (lower case, no trailing dot), or null when it is not a DNS name.</summary>
    public static string? Normalize(string? domain)
    {
        var host = domain?.Trim().TrimEnd('.').ToLowerInvariant();
        return host is { Length: > 0 and <= MaxHost } && !IPAddress.TryParse(host, out _) && HostPattern().IsMatch(host) ? host : null;
    }

    /// <summary>Null when <paramref name="host"/> may be claimed, else why not (an English sentence, the localizer's key).</summary>
    public static string? Check(string host, string appsDomain, string? platformHost) =>
        host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || host.EndsWith(".local", StringComparison.Ordinal)
            || host.EndsWith(".internal", StringComparison.Ordinal)
            ? "A custom domain is a public DNS name, not a local one."
            : host == appsDomain || host.EndsWith("." + appsDomain, StringComparison.Ordinal)
                || (platformHost is not null && (host == platformHost || host.EndsWith("." + platformHost, StringComparison.Ordinal)))
                ? "That name belongs to Classcloud itself." : null;

    // Labels of letters, digits and inner hyphens (punycode for other scripts), at least two of them, the last not all digits.
    [GeneratedRegex("^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex HostPattern();
}
