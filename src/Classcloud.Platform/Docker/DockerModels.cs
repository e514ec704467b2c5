using System.Text.Json;
using System.Text.Json.Serialization;

// The Docker Engine API v1.41 objects we send and read, reduced to the fields we use.
// https://docs.docker.com/engine/api/v1.41/
namespace Classcloud.Platform.Docker;

internal sealed record ContainerCreateRequest
{
    public required string Image { get; init; }
    public List<string>? Cmd { get; init; }
    public List<string>? Entrypoint { get; init; }
    public List<string>? Env { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public string? Hostname { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public int? StopTimeout { get; init; }
    public HealthConfig? Healthcheck { get; init; }
    public required HostConfig HostConfig { get; init; }
    public NetworkingConfig? NetworkingConfig { get; init; }
}

internal sealed record HealthConfig(List<string> Test, long Interval, long Timeout, int Retries, long StartPeriod);

internal sealed record HostConfig
{
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long NanoCpus { get; init; }
    public long? CpuShares { get; init; }
    public long? MemoryReservation { get; init; }
    public long PidsLimit { get; init; }
    public List<string>? CapDrop { get; init; }
    public List<string>? CapAdd { get; init; }
    public List<string>? SecurityOpt { get; init; }
    public bool Privileged { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public Dictionary<string, string>? Tmpfs { get; init; }
    public List<MountRequest>? Mounts { get; init; }
    public RestartPolicyConfig? RestartPolicy { get; init; }
    public string? NetworkMode { get; init; }
    public int OomScoreAdj { get; init; }
    public LogConfig? LogConfig { get; init; }
}

internal sealed record MountRequest(string Type, string Source, string Target, bool ReadOnly);

internal sealed record RestartPolicyConfig(string Name, int MaximumRetryCount = 0);

internal sealed record LogConfig(string Type, Dictionary<string, string> Config);

internal sealed record NetworkingConfig(Dictionary<string, EndpointSettings> EndpointsConfig);

internal sealed record EndpointSettings
{
    public List<string>? Aliases { get; init; }
    public string? IPAddress { get; init; }
}

internal sealed record IdResponse
{
    public string Id { get; init; } = "";
    public List<string>? Warnings { get; init; }
}

internal sealed record ErrorResponse
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

internal sealed record ContainerSummary
{
    public string Id { get; init; } = "";
    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>created, running, paused, restarting, removing, exited or dead (the list carries it: no inspect needed).</summary>
    public string? State { get; init; }
}

internal sealed record ContainerInspect
{
    public string Id { get; init; } = "";
    public ContainerState State { get; init; } = new();
    public int RestartCount { get; init; }
    public ContainerConfigView Config { get; init; } = new();
    public NetworkSettingsView? NetworkSettings { get; init; }
}

internal sealed record ContainerState
{
    public string Status { get; init; } = "";
    public bool OOMKilled { get; init; }
    public int ExitCode { get; init; }
    public string? Error { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public HealthView? Health { get; init; }
}

internal sealed record HealthView(string Status);

internal sealed record ContainerConfigView
{
    public Dictionary<string, string>? Labels { get; init; }
    public List<string>? Env { get; init; }
    public bool Tty { get; init; }
}

internal sealed record NetworkConnectRequest(string Container, EndpointSettings EndpointConfig);

internal sealed record NetworkDisconnectRequest(string Container, bool Force);

internal sealed record NetworkSettingsView(Dictionary<string, EndpointSettings>? Networks);

internal sealed record CommitConfig(Dictionary<string, string> Labels);

internal sealed record ExecCreateRequest
{
    public bool AttachStdin { get; init; }
    public bool AttachStdout { get; init; } = true;
    public bool AttachStderr { get; init; } = true;
    public bool Tty { get; init; }
    public required List<string> Cmd { get; init; }
    public List<string>? Env { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
}

internal sealed record ExecStartRequest(bool Detach, bool Tty);

internal sealed record ExecInspect(int? ExitCode, bool Running);

internal sealed record EventMessage
{
    public string? Type { get; init; }
    public string? Action { get; init; }
    public EventActor? Actor { get; init; }
    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }
}

internal sealed record EventActor(string? ID, Dictionary<string, string>? Attributes);

internal sealed record StatsResponse
{
    [JsonPropertyName("read")] public DateTimeOffset Read { get; init; }
    [JsonPropertyName("pids_stats")] public PidsStats? PidsStats { get; init; }
    [JsonPropertyName("cpu_stats")] public CpuStats? CpuStats { get; init; }
    [JsonPropertyName("precpu_stats")] public CpuStats? PreCpuStats { get; init; }
    [JsonPropertyName("memory_stats")] public MemoryStats? MemoryStats { get; init; }
    [JsonPropertyName("networks")] public Dictionary<string, NetworkStats>? Networks { get; init; }
}

internal sealed record PidsStats([property: JsonPropertyName("current")] int Current);

internal sealed record CpuStats(
    [property: JsonPropertyName("cpu_usage")] CpuUsage? CpuUsage,
    [property: JsonPropertyName("system_cpu_usage")] ulong SystemCpuUsage,
    [property: JsonPropertyName("online_cpus")] int OnlineCpus);

internal sealed record CpuUsage([property: JsonPropertyName("total_usage")] ulong TotalUsage, [property: JsonPropertyName("percpu_usage")] List<ulong>? PerCpuUsage);

internal sealed record MemoryStats(
    [property: JsonPropertyName("usage")] long Usage,
    [property: JsonPropertyName("limit")] long Limit,
    [property: JsonPropertyName("stats")] Dictionary<string, long>? Stats);

internal sealed record NetworkStats([property: JsonPropertyName("rx_bytes")] long RxBytes, [property: JsonPropertyName("tx_bytes")] long TxBytes);

internal sealed record JsonMessage
{
    [JsonPropertyName("stream")] public string? Stream { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("progress")] public string? Progress { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("aux")] public JsonElement? Aux { get; init; }
}

internal sealed record ImageInspect
{
    public string Id { get; init; } = "";
    public List<string>? RepoTags { get; init; }
    public List<string>? RepoDigests { get; init; }
    public long Size { get; init; }
    public DateTimeOffset Created { get; init; }
    public ContainerConfigView? Config { get; init; }
}

internal sealed record VolumeCreateRequest(string Name, string Driver, Dictionary<string, string> Labels);

internal sealed record VolumeView(string Name, Dictionary<string, string>? Labels);

internal sealed record VolumeList(List<VolumeView>? Volumes);

/// <summary>The volumes part of <c>GET /system/df</c>; a size of -1 means the engine could not measure it.</summary>
internal sealed record DiskUsage(List<DiskUsageVolume>? Volumes);

internal sealed record DiskUsageVolume(string Name, Dictionary<string, string>? Labels, VolumeUsageData? UsageData);

internal sealed record VolumeUsageData(long Size, long RefCount);

internal sealed record NetworkCreateRequest
{
    public required string Name { get; init; }
    public string Driver { get; init; } = "bridge";
    public bool Internal { get; init; }
    public bool CheckDuplicate { get; init; } = true;
    public required Dictionary<string, string> Labels { get; init; }
    public Dictionary<string, string>? Options { get; init; }
}

internal sealed record NetworkView
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Internal { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Options { get; init; }
    public IpamView? IPAM { get; init; }
}

internal sealed record IpamView(List<IpamConfig>? Config);

internal sealed record IpamConfig(string? Subnet);

internal sealed record SystemInfo
{
    public string ServerVersion { get; init; } = "";
    public int NCPU { get; init; }
    public long MemTotal { get; init; }
    public int ContainersRunning { get; init; }
    public string? CgroupVersion { get; init; }
    public string? CgroupDriver { get; init; }
    public string? Driver { get; init; }
    public string? KernelVersion { get; init; }
    public string? OperatingSystem { get; init; }
    public string? DockerRootDir { get; init; }
}

internal sealed record AuthConfig(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("serveraddress")] string? ServerAddress);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(CommitConfig))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeView))]
[JsonSerializable(typeof(VolumeList))]
[JsonSerializable(typeof(DiskUsage))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkView))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(List<NetworkView>))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(WorkloadSpec))]
internal sealed partial class DockerJson : JsonSerializerContext;
