using System.Text.Json.Serialization;

// The Kubernetes API objects we send and read, reduced to the fields we use (core/v1, apps/v1,
// networking.k8s.io/v1, metrics.k8s.io/v1beta1). https://kubernetes.io/docs/reference/kubernetes-api/
namespace Classcloud.Platform.Kubernetes;

internal sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    public string? CreationTimestamp { get; init; }
    public string? DeletionTimestamp { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
}

internal sealed record ListMeta
{
    public string? ResourceVersion { get; init; }
    public string? Continue { get; init; }
}

internal sealed record KubeList<T>
{
    public ListMeta? Metadata { get; init; }
    public List<T> Items { get; init; } = [];
}

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (whose object is a Status).</summary>
internal sealed record WatchEvent<T>
{
    public string Type { get; init; } = "";
    public T? Object { get; init; }
}

/// <summary>The API's error body (and the exec stream's final status on channel 3).</summary>
internal sealed record Status
{
    public string? Kind { get; init; } = "Status";
    public string? ApiVersion { get; init; } = "v1";
    public ListMeta? Metadata { get; init; }
    [JsonPropertyName("status")]
    public string? Outcome { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public int? Code { get; init; }
}

internal sealed record StatusDetails
{
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public List<StatusCause>? Causes { get; init; }
}

internal sealed record StatusCause(string? Reason, string? Message, string? Field);

internal sealed record Namespace
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "Namespace";
    public required ObjectMeta Metadata { get; init; }
    public NamespaceStatus? Status { get; init; }
}

internal sealed record NamespaceStatus(string? Phase);

internal sealed record Deployment
{
    public string ApiVersion { get; init; } = "apps/v1";
    public string Kind { get; init; } = "Deployment";
    public required ObjectMeta Metadata { get; init; }
    public required DeploymentSpec Spec { get; init; }
    public DeploymentStatus? Status { get; init; }
}

internal sealed record DeploymentSpec
{
    public int Replicas { get; init; }
    public required LabelSelector Selector { get; init; }
    public required PodTemplateSpec Template { get; init; }
    public DeploymentStrategy? Strategy { get; init; }
    public int? RevisionHistoryLimit { get; init; }
}

internal sealed record DeploymentStrategy(string Type);

internal sealed record DeploymentStatus
{
    public int Replicas { get; init; }
    public int ReadyReplicas { get; init; }
    public int AvailableReplicas { get; init; }
}

internal sealed record LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; init; }
}

internal sealed record PodTemplateSpec
{
    public required ObjectMeta Metadata { get; init; }
    public required PodSpec Spec { get; init; }
}

internal sealed record Pod
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "Pod";
    public required ObjectMeta Metadata { get; init; }
    public PodSpec? Spec { get; init; }
    public PodStatus? Status { get; init; }
}

internal sealed record PodSpec
{
    public List<Container>? InitContainers { get; init; }
    public required List<Container> Containers { get; init; }
    public List<PodVolume>? Volumes { get; init; }
    public string? RestartPolicy { get; init; }
    public long? TerminationGracePeriodSeconds { get; init; }
    public bool? AutomountServiceAccountToken { get; init; }
    public bool? EnableServiceLinks { get; init; }
    public string? Hostname { get; init; }
    public string? NodeName { get; init; }
    public PodSecurityContext? SecurityContext { get; init; }
    public List<LocalObjectReference>? ImagePullSecrets { get; init; }
}

internal sealed record LocalObjectReference(string Name);

internal sealed record PodSecurityContext
{
    public bool? RunAsNonRoot { get; init; }
    public long? RunAsUser { get; init; }
    public long? RunAsGroup { get; init; }
    public long? FsGroup { get; init; }
    public SeccompProfile? SeccompProfile { get; init; }
}

internal sealed record SeccompProfile(string Type);

internal sealed record Container
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public List<EnvVar>? Env { get; init; }
    public string? WorkingDir { get; init; }
    public bool? Tty { get; init; }
    public bool? Stdin { get; init; }
    public ResourceRequirements? Resources { get; init; }
    public SecurityContext? SecurityContext { get; init; }
    public List<VolumeMountRef>? VolumeMounts { get; init; }
    public Probe? ReadinessProbe { get; init; }
    public string? ImagePullPolicy { get; init; }
}

internal sealed record EnvVar(string Name, string Value);

internal sealed record ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; init; }
    public Dictionary<string, string>? Limits { get; init; }
}

internal sealed record SecurityContext
{
    public bool? AllowPrivilegeEscalation { get; init; }
    public bool? Privileged { get; init; }
    public bool? RunAsNonRoot { get; init; }
    public bool? ReadOnlyRootFilesystem { get; init; }
    public Capabilities? Capabilities { get; init; }
    public SeccompProfile? SeccompProfile { get; init; }
}

internal sealed record Capabilities
{
    public List<string>? Add { get; init; }
    public List<string>? Drop { get; init; }
}

internal sealed record VolumeMountRef
{
    public required string Name { get; init; }
    public required string MountPath { get; init; }
    public bool? ReadOnly { get; init; }
}

internal sealed record PodVolume
{
    public required string Name { get; init; }
    public PvcSource? PersistentVolumeClaim { get; init; }
    public EmptyDirSource? EmptyDir { get; init; }
}

internal sealed record PvcSource(string ClaimName, bool? ReadOnly = null);

internal sealed record EmptyDirSource(string? Medium, string? SizeLimit);

internal sealed record Probe
{
    public ExecAction? Exec { get; init; }
    public int? PeriodSeconds { get; init; }
    public int? TimeoutSeconds { get; init; }
    public int? FailureThreshold { get; init; }
    public int? InitialDelaySeconds { get; init; }
}

internal sealed record ExecAction(List<string> Command);

internal sealed record PodStatus
{
    public string? Phase { get; init; }
    public string? PodIP { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public List<PodCondition>? Conditions { get; init; }
    public List<ContainerStatus>? ContainerStatuses { get; init; }
}

internal sealed record PodCondition
{
    public string Type { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

internal sealed record ContainerStatus
{
    public string Name { get; init; } = "";
    public bool Ready { get; init; }
    public int RestartCount { get; init; }
    public ContainerState? State { get; init; }
    public ContainerState? LastState { get; init; }
}

internal sealed record ContainerState
{
    public ContainerStateWaiting? Waiting { get; init; }
    public ContainerStateRunning? Running { get; init; }
    public ContainerStateTerminated? Terminated { get; init; }
}

internal sealed record ContainerStateWaiting(string? Reason, string? Message);

internal sealed record ContainerStateRunning(string? StartedAt);

internal sealed record ContainerStateTerminated
{
    public int ExitCode { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
}

internal sealed record Service
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "Service";
    public required ObjectMeta Metadata { get; init; }
    public required ServiceSpec Spec { get; init; }
}

internal sealed record ServiceSpec
{
    public string? ClusterIP { get; init; }
    public string? Type { get; init; }
    public Dictionary<string, string>? Selector { get; init; }
    public bool? PublishNotReadyAddresses { get; init; }
}

internal sealed record PersistentVolumeClaim
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "PersistentVolumeClaim";
    public required ObjectMeta Metadata { get; init; }
    public required PvcSpec Spec { get; init; }
}

internal sealed record PvcSpec
{
    public required List<string> AccessModes { get; init; }
    public string? StorageClassName { get; init; }
    public required ResourceRequirements Resources { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubeList<Deployment>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(WatchEvent<Pod>))]
[JsonSerializable(typeof(WatchEvent<Status>))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(KubeList<PersistentVolumeClaim>))]
[JsonSerializable(typeof(NetworkPolicy))]
[JsonSerializable(typeof(ResourceQuota))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(KubeList<Node>))]
[JsonSerializable(typeof(PodMetrics))]
[JsonSerializable(typeof(TerminalSize))]
[JsonSerializable(typeof(WorkloadSpec))]
[JsonSerializable(typeof(Dictionary<string, object>))]
internal sealed partial class KubeJson : JsonSerializerContext;
