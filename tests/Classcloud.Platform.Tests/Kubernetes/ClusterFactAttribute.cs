namespace Classcloud.Platform.Tests.Kubernetes;

/// <summary>A test that runs only against a real cluster: skipped, with the reason shown, when <c>CLASSCLOUD_K8S_E2E</c> is unset.</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public const string Variable = "CLASSCLOUD_K8S_E2E";

    public ClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: point it at a kubeconfig to run the real-cluster suite (test.sh starts a cluster for it).";
        }
    }
}
