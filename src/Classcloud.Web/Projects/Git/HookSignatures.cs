using System.Security.Cryptography;
using System.Text;

namespace Classcloud.Web.Projects.Git;

public enum GitHost
{
    GitHub,
    GitLab,
    Gitea,
}

/// <summary>
/// How each Git host proves a push came from it: GitHub signs the body with HMAC-SHA256 in
/// <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, Gitea the same without the prefix in <c>X-Gitea-Signature</c>,
/// and GitLab sends the secret itself in <c>X-Gitlab-Token</c>. Every comparison takes the same time whatever
/// matches, so an attacker cannot learn the secret a byte at a time.
/// </summary>
public static class HookSignatures
{
    /// <summary>Gitea first: it also sends GitHub's headers for compatibility.</summary>
    public static (GitHost? Host, string? Event) Identify(IHeaderDictionary headers) =>
        headers.ContainsKey("X-Gitea-Event") || headers.ContainsKey("X-Gitea-Signature") ? (GitHost.Gitea, headers["X-Gitea-Event"].ToString())
        : headers.ContainsKey("X-Gitlab-Event") || headers.ContainsKey("X-Gitlab-Token") ? (GitHost.GitLab, headers["X-Gitlab-Event"].ToString())
        : headers.ContainsKey("X-GitHub-Event") || headers.ContainsKey("X-Hub-Signature-256") ? (GitHost.GitHub, headers["X-GitHub-Event"].ToString())
        : (null, null);

    public static bool Verify(GitHost host, IHeaderDictionary headers, byte[] body, string secret) => host switch
    {
        GitHost.GitHub => HexEquals(Strip(headers["X-Hub-Signature-256"].ToString(), "sha256="), Hmac(secret, body)),
        GitHost.Gitea => HexEquals(headers["X-Gitea-Signature"].ToString(), Hmac(secret, body)),
        // Hashing both sides first makes the comparison's time independent of the lengths too.
        GitHost.GitLab => CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(headers["X-Gitlab-Token"].ToString())), SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
        _ => false,
    };

    /// <summary>Whether this is the push event of that host (GitHub's ping is answered apart).</summary>
    public static bool IsPush(GitHost host, string? name) => host == GitHost.GitLab ? name == "Push Hook" : name == "push";

    public static byte[] Hmac(string secret, byte[] body) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);

    static string? Strip(string value, string prefix) => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? value[prefix.Length..] : null;

    static bool HexEquals(string? hex, byte[] expected)
    {
        if (hex is null || hex.Length != expected.Length * 2)
        {
            return false;
        }
        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hex), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
