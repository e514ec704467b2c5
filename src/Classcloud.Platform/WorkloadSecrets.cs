using System.Security.Cryptography;
using System.Text;

namespace Classcloud.Platform;

/// <summary>
/// Keeps secret values out of specs that are stored or shown. A stored spec carries a digest per secret:
/// enough to see that a secret changed (so the workload is replaced and gets the new value), useless to
/// whoever reads labels or the admin console. The digest is keyed by the workload and the variable, so
/// equal secrets of two workloads do not look alike.
/// </summary>
public static class WorkloadSecrets
{
    /// <summary>How a stored secret value starts.</summary>
    public const string DigestPrefix = "sha256:";

    /// <summary>The spec as it may be stored: every secret value replaced by its digest.</summary>
    public static WorkloadSpec Redact(WorkloadSpec spec) => spec.SecretEnvironment.Count == 0 ? spec : spec with
    {
        SecretEnvironment = new SortedDictionary<string, string>(
            spec.SecretEnvironment.ToDictionary(e => e.Key, e => Digest(spec.Id, e.Key, e.Value)), StringComparer.Ordinal),
    };

    /// <summary>The digest a stored spec keeps of one secret value.</summary>
    public static string Digest(WorkloadId id, string name, string value) =>
        DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"classcloud-secret\0{id.Value}\0{name}\0{value}")));

    /// <summary>Every variable the process gets: the plain ones and the secrets (a secret wins a name clash).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ProcessEnvironment(WorkloadSpec spec)
    {
        var all = new SortedDictionary<string, string>(spec.Environment.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in spec.SecretEnvironment)
        {
            all[key] = value;
        }
        return all;
    }
}
