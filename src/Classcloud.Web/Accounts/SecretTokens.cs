using System.Security.Cryptography;
using System.Text;

namespace Classcloud.Web.Accounts;

/// <summary>Random, unguessable tokens and the hash under which they are stored.</summary>
public static class SecretTokens
{
    public static string Create(string prefix = "") =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
