using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Projects.Git;

/// <summary>
/// Which Git sources are accepted: https only (plain http only for hosts an administrator lists, such as a
/// school's own Gitea or the tests' loopback server), no user name or password inside the URL (the deploy key
/// is the way, and it is kept encrypted), and never this machine or a link-local address (the registry, the
/// database and the engine listen there; 169.254.169.254 is a cloud's metadata service).
/// </summary>
public static partial class GitRules
{
    public const int MaxDeployKey = 500;

    /// <summary>Null when the URL may be cloned, else why not (an English sentence, the localizer's key).</summary>
    public static string? CheckUrl(string? url, IReadOnlyCollection<string> insecureHosts)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > ProjectLimits.GitUrl || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "The Git URL is not a valid https URL.";
        }
        var listed = IsListed(uri, insecureHosts);
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && listed))
        {
            return "Only https Git URLs are accepted (no ssh, git, file or local paths).";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "Put no user name or password in the Git URL; give a deploy key instead.";
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath.Length < 2)
        {
            return "The Git URL names a repository: no query, no fragment, a path after the host.";
        }
        return !listed && IPAddress.TryParse(uri.IdnHost, out var ip) && IsInternal(ip)
            ? "The Git URL points at this machine or a link-local address." : null;
    }

    /// <summary>Null when the branch name is acceptable (a plain Git branch name), else why not.</summary>
    public static string? CheckBranch(string? branch) =>
        branch is null || (BranchPattern().IsMatch(branch) && !branch.Contains("..", StringComparison.Ordinal)
            && !branch.Contains("//", StringComparison.Ordinal) && !branch.EndsWith('/') && !branch.EndsWith('.')
            && !branch.EndsWith(".lock", StringComparison.Ordinal))
            ? null : "The branch is not a valid Git branch name.";

    public static bool IsListed(Uri uri, IReadOnlyCollection<string> insecureHosts) =>
        insecureHosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase) || insecureHosts.Contains(uri.Authority, StringComparer.OrdinalIgnoreCase);

    /// <summary>This machine, any address, or link-local (169.254.169.254 is a cloud's metadata service).</summary>
    public static bool IsInternal(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        return IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.IsIPv6LinkLocal
            || (ip.AddressFamily == AddressFamily.InterNetwork && ip.GetAddressBytes() is [169, 254, ..]);
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$")]
    private static partial Regex BranchPattern();
}
