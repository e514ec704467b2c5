using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

/// <summary>A tenant's namespace contents: network rules and quota.</summary>
internal sealed partial class KubeObjects
{
    const string NetworkingV1 = "networking.k8s.io/v1";

    static V1ObjectMeta Meta(string name, string ns) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = new Dictionary<string, string> { [PlatformInfo.ManagedLabel] = "true" },
    };

    /// <summary>
    /// The tenant's network rules: deny everything, then allow traffic within the namespace, DNS,
    /// connections from the gateway, and (with egress) the internet but not private ranges or the
    /// cloud metadata address. Tenant-less workloads get the deny rule only.
    /// </summary>
    public List<V1NetworkPolicy> NetworkPolicies(string? tenant, bool allowEgress)
    {
        var ns = NamespaceOf(tenant);
        var all = new V1LabelSelector();
        var policies = new List<V1NetworkPolicy>
        {
            new() { ApiVersion = NetworkingV1, Kind = "NetworkPolicy", Metadata = Meta("default-deny", ns), Spec = new V1NetworkPolicySpec { PodSelector = all, PolicyTypes = ["Ingress", "Egress"] } },
        };
        if (tenant is null)
        {
            return policies;
        }
        var sameNamespace = new V1NetworkPolicyPeer { PodSelector = all };
        policies.Add(new()
        {
            ApiVersion = NetworkingV1,
            Kind = "NetworkPolicy",
            Metadata = Meta("allow-tenant", ns),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = all,
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [sameNamespace] }],
                Egress =
                [
                    new V1NetworkPolicyEgressRule { To = [sameNamespace] },
                    new V1NetworkPolicyEgressRule
                    {
                        To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } } }],
                        Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                    },
                ],
            },
        });
        policies.Add(new()
        {
            ApiVersion = NetworkingV1,
            Kind = "NetworkPolicy",
            Metadata = Meta("allow-gateway", ns),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = all,
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule
                {
                    FromProperty = [new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.GatewayNamespaceSelector) },
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.GatewayPodSelector) },
                    }],
                }],
            },
        });
        if (allowEgress)
        {
            policies.Add(new()
            {
                ApiVersion = NetworkingV1,
                Kind = "NetworkPolicy",
                Metadata = Meta("allow-internet", ns),
                Spec = new V1NetworkPolicySpec
                {
                    PodSelector = all,
                    PolicyTypes = ["Egress"],
                    Egress = [new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"] } }] }],
                },
            });
        }
        return policies;
    }

    public V1ResourceQuota Quota(string? tenant) => new()
    {
        ApiVersion = "v1",
        Kind = "ResourceQuota",
        Metadata = Meta("classcloud-quota", NamespaceOf(tenant)),
        Spec = new V1ResourceQuotaSpec { Hard = options.TenantQuota.ToDictionary(q => q.Key, q => new ResourceQuantity(q.Value)) },
    };
}
