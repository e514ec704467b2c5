namespace Classcloud.Platform.Kubernetes;

/// <summary>A tenant's namespace contents: network rules and quota.</summary>
internal sealed partial class KubeObjects
{
    static ObjectMeta Meta(string name, string ns) => new()
    {
        Name = name,
        Namespace = ns,
        Labels = new() { [PlatformInfo.ManagedLabel] = "true" },
    };

    /// <summary>
    /// The tenant's network rules: deny everything, then allow traffic within the namespace, DNS,
    /// connections from the gateway, and (with egress) the internet but not private ranges or the
    /// cloud metadata address. Tenant-less workloads get the deny rule only.
    /// </summary>
    public List<NetworkPolicy> NetworkPolicies(string? tenant, bool allowEgress)
    {
        var ns = NamespaceOf(tenant);
        var all = new LabelSelector();
        var policies = new List<NetworkPolicy>
        {
            new() { Metadata = Meta("default-deny", ns), Spec = new() { PodSelector = all, PolicyTypes = ["Ingress", "Egress"] } },
        };
        if (tenant is null)
        {
            return policies;
        }
        var sameNamespace = new NetworkPolicyPeer { PodSelector = all };
        policies.Add(new()
        {
            Metadata = Meta("allow-tenant", ns),
            Spec = new()
            {
                PodSelector = all,
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new() { From = [sameNamespace] }],
                Egress =
                [
                    new() { To = [sameNamespace] },
                    new()
                    {
                        To = [new() { NamespaceSelector = new() { MatchLabels = new() { ["kubernetes.io/metadata.name"] = "kube-system" } } }],
                        Ports = [new("UDP", 53), new("TCP", 53)],
                    },
                ],
            },
        });
        policies.Add(new()
        {
            Metadata = Meta("allow-gateway", ns),
            Spec = new()
            {
                PodSelector = all,
                PolicyTypes = ["Ingress"],
                Ingress = [new()
                {
                    From = [new()
                    {
                        NamespaceSelector = new() { MatchLabels = new(options.GatewayNamespaceSelector) },
                        PodSelector = new() { MatchLabels = new(options.GatewayPodSelector) },
                    }],
                }],
            },
        });
        if (allowEgress)
        {
            policies.Add(new()
            {
                Metadata = Meta("allow-internet", ns),
                Spec = new()
                {
                    PodSelector = all,
                    PolicyTypes = ["Egress"],
                    Egress = [new() { To = [new() { IpBlock = new("0.0.0.0/0", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"]) }] }],
                },
            });
        }
        return policies;
    }

    public ResourceQuota Quota(string? tenant) => new()
    {
        Metadata = Meta("classcloud-quota", NamespaceOf(tenant)),
        Spec = new(new(options.TenantQuota)),
    };
}
