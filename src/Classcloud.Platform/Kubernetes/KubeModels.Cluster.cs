using System.Text.Json.Serialization;

// Networking, quota, secrets, events, nodes and metrics objects (see KubeModels.cs).
namespace Classcloud.Platform.Kubernetes;

internal sealed record NetworkPolicy
{
    public string ApiVersion { get; init; } = "networking.k8s.io/v1";
    public string Kind { get; init; } = "NetworkPolicy";
    public required ObjectMeta Metadata { get; init; }
    public required NetworkPolicySpec Spec { get; init; }
}

internal sealed record NetworkPolicySpec
{
    public required LabelSelector PodSelector { get; init; }
    public required List<string> PolicyTypes { get; init; }
    public List<NetworkPolicyRule>? Ingress { get; init; }
    public List<NetworkPolicyRule>? Egress { get; init; }
}

/// <summary>An ingress rule (<see cref="From"/>) or an egress rule (<see cref="To"/>).</summary>
internal sealed record NetworkPolicyRule
{
    public List<NetworkPolicyPeer>? From { get; init; }
    public List<NetworkPolicyPeer>? To { get; init; }
    public List<NetworkPolicyPort>? Ports { get; init; }
}

internal sealed record NetworkPolicyPeer
{
    public LabelSelector? NamespaceSelector { get; init; }
    public LabelSelector? PodSelector { get; init; }
    public IpBlock? IpBlock { get; init; }
}

internal sealed record IpBlock(string Cidr, List<string>? Except = null);

internal sealed record NetworkPolicyPort(string Protocol, int Port);

internal sealed record ResourceQuota
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "ResourceQuota";
    public required ObjectMeta Metadata { get; init; }
    public required ResourceQuotaSpec Spec { get; init; }
}

internal sealed record ResourceQuotaSpec(Dictionary<string, string> Hard);

internal sealed record Secret
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "Secret";
    public required ObjectMeta Metadata { get; init; }
    public string? Type { get; init; }
    public Dictionary<string, string>? Data { get; init; }
}

internal sealed record Event
{
    public ObjectMeta? Metadata { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? Type { get; init; }
    public ObjectReference? InvolvedObject { get; init; }
}

internal sealed record ObjectReference(string? Kind, string? Name, string? Namespace);

internal sealed record VersionInfo(string? GitVersion, string? Platform);

internal sealed record Node
{
    public required ObjectMeta Metadata { get; init; }
    public NodeStatus? Status { get; init; }
}

internal sealed record NodeStatus(Dictionary<string, string>? Allocatable);

internal sealed record PodMetrics
{
    public ObjectMeta? Metadata { get; init; }
    public string? Timestamp { get; init; }
    public List<ContainerMetrics>? Containers { get; init; }
}

internal sealed record ContainerMetrics(string Name, Dictionary<string, string>? Usage);

/// <summary>Terminal size sent on the exec resize channel (4).</summary>
internal sealed record TerminalSize([property: JsonPropertyName("Width")] int Width, [property: JsonPropertyName("Height")] int Height);
