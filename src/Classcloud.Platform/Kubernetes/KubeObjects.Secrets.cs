using System.Text;
using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// A workload's secret environment values (a desktop's VNC password, a project's secrets) live in one
/// Secret per workload, referenced from the container's env with <c>secretKeyRef</c>: the Deployment,
/// which many roles may read and <c>kubectl describe</c> prints, holds only the reference. The
/// Deployment's spec hash already carries a digest of every value (WorkloadSecrets.Redact), so a
/// changed value replaces the pod template and the new pods read the updated Secret.
/// </summary>
internal sealed partial class KubeObjects
{
    /// <summary>The name of a workload's Secret (a Secret and a Deployment never clash: different kinds).</summary>
    public static string EnvSecretName(WorkloadId id) => $"{id.Value}-env";

    /// <summary>The Secret with the workload's secret values; null when it has none.</summary>
    public static V1Secret? EnvSecret(WorkloadSpec spec, string ns) => spec.SecretEnvironment.Count == 0 ? null : new V1Secret
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = EnvSecretName(spec.Id),
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [PlatformInfo.ManagedLabel] = "true", [PlatformInfo.WorkloadLabel] = spec.Id.Value },
        },
        Data = spec.SecretEnvironment.ToDictionary(e => e.Key, e => Encoding.UTF8.GetBytes(e.Value), StringComparer.Ordinal),
    };

    /// <summary>The container's env: plain values inline, secret ones by reference (a secret wins a name clash, as on Docker).</summary>
    static List<V1EnvVar>? Env(WorkloadSpec spec)
    {
        var env = WorkloadSecrets.ProcessEnvironment(spec).Select(e => spec.SecretEnvironment.ContainsKey(e.Key)
            ? new V1EnvVar
            {
                Name = e.Key,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = EnvSecretName(spec.Id), Key = e.Key } },
            }
            : new V1EnvVar { Name = e.Key, Value = e.Value }).ToList();
        return env.Count > 0 ? env : null;
    }
}
