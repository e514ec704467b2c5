using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// Turns workloads, volumes and tenants into Kubernetes objects with the security defaults applied:
/// non-root, no privilege escalation, all capabilities dropped (but the spec's allowed ones),
/// RuntimeDefault seccomp, no service-account token, limits always set.
/// </summary>
internal sealed partial class KubeObjects(KubernetesOptions options, WorkloadDefaults defaults)
{
    public const string ContainerName = "main";
    public const string ReplicasAnnotation = PlatformInfo.LabelPrefix + "replicas";
    public const string StartedAnnotation = PlatformInfo.LabelPrefix + "started";
    public const string RestartedAtAnnotation = PlatformInfo.LabelPrefix + "restarted-at";
    public const string EgressLabel = PlatformInfo.LabelPrefix + "egress";

    public KubernetesOptions Options => options;

    /// <summary>The <c>uid:gid</c> a workload without its own user runs as.</summary>
    public string DefaultUser => defaults.User;

    /// <summary>Memory limit of a workload without its own.</summary>
    public long DefaultMemoryBytes => defaults.MemoryBytes;

    /// <summary>Namespace of a tenant; workloads without a tenant share one with no network at all (the double dash keeps it apart from every tenant name).</summary>
    public string NamespaceOf(string? tenant) => tenant is null ? $"{options.NamespacePrefix}-isolated" : options.NamespacePrefix + tenant;

    /// <summary>The spec as the annotation stores it: secrets only as digests.</summary>
    public static string SpecJson(WorkloadSpec spec) => JsonSerializer.Serialize(WorkloadSecrets.Redact(spec), KubeJson.Default.WorkloadSpec);

    /// <summary>Hash of everything but the replica count, so scaling never replaces pods.</summary>
    public static string SpecHash(WorkloadSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SpecJson(spec with { Replicas = 0 }))))[..16];

    static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    static string MilliCpu(double cpus) => $"{Int(Math.Max(1, (long)Math.Round(cpus * 1000)))}m";

    public static Dictionary<string, string> Selector(WorkloadId id) => new()
    {
        [PlatformInfo.ManagedLabel] = "true",
        [PlatformInfo.WorkloadLabel] = id.Value,
    };

    public V1Namespace Namespace(string? tenant, bool allowEgress)
    {
        var labels = new Dictionary<string, string>
        {
            [PlatformInfo.ManagedLabel] = "true",
            [EgressLabel] = allowEgress ? "true" : "false",
            // The cluster's own admission backs up what the driver sets (Pod Security Standards).
            // Baseline is enforced, restricted warned: restricted forbids adding any capability but
            // NET_BIND_SERVICE, which a spec may legitimately keep (SecurityDefaults.AllowedCapabilities).
            ["pod-security.kubernetes.io/enforce"] = "baseline",
            ["pod-security.kubernetes.io/warn"] = "restricted",
        };
        if (tenant is not null)
        {
            labels[PlatformInfo.TenantLabel] = tenant;
        }
        return new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = NamespaceOf(tenant), Labels = labels } };
    }

    public V1PersistentVolumeClaim Volume(string name, string ns, IReadOnlyDictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string>(labels) { [PlatformInfo.ManagedLabel] = "true" },
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            // An empty class would mean "no class" to Kubernetes; empty configuration means the default class.
            StorageClassName = string.IsNullOrEmpty(options.StorageClass) ? null : options.StorageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(options.VolumeSize) } },
        },
    };

    /// <summary>A headless Service: the workload's name resolves to its pods on every port, as on a Docker tenant network (a ClusterIP Service would need ports the spec does not list).</summary>
    public static V1Service Service(WorkloadSpec spec, string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = spec.Id.Value, NamespaceProperty = ns, Labels = Selector(spec.Id) },
        Spec = new V1ServiceSpec { ClusterIP = "None", Selector = Selector(spec.Id), PublishNotReadyAddresses = true },
    };

    public V1Deployment Deployment(WorkloadSpec spec, string ns, int replicas, bool started)
    {
        var hash = SpecHash(spec);
        var labels = new Dictionary<string, string>(spec.Labels)
        {
            [PlatformInfo.ManagedLabel] = "true",
            [PlatformInfo.WorkloadLabel] = spec.Id.Value,
            [PlatformInfo.SpecHashLabel] = hash,
        };
        if (spec.Tenant is not null)
        {
            labels[PlatformInfo.TenantLabel] = spec.Tenant;
        }
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = spec.Id.Value,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = new Dictionary<string, string>
                {
                    [PlatformInfo.SpecLabel] = SpecJson(spec),
                    [ReplicasAnnotation] = Int(spec.Replicas),
                    [StartedAnnotation] = started ? "true" : "false",
                },
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = Selector(spec.Id) },
                // Recreate: a home volume is ReadWriteOnce, so the old pod must go before the new one mounts it.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                RevisionHistoryLimit = 2,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = Pod(spec) },
            },
        };
    }

    V1PodSpec Pod(WorkloadSpec spec)
    {
        if (!SecurityDefaults.TryParseUser(spec.User ?? defaults.User, out var user))
        {
            throw new ArgumentException($"Workload {spec.Id}: user must be a numeric uid or uid:gid other than 0.", nameof(spec));
        }
        var memory = spec.Resources.MemoryBytes ?? defaults.MemoryBytes;
        var cpus = spec.Resources.Cpus ?? defaults.Cpus;
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var v = spec.Volumes[i];
            var name = $"vol-{Int(i)}";
            volumes.Add(new V1Volume { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = v.Volume, ReadOnlyProperty = v.ReadOnly ? true : null } });
            mounts.Add(new V1VolumeMount { Name = name, MountPath = v.Path, ReadOnlyProperty = v.ReadOnly ? true : null });
        }
        for (var i = 0; i < spec.Tmpfs.Count; i++)
        {
            var t = spec.Tmpfs[i];
            var name = $"tmpfs-{Int(i)}";
            volumes.Add(new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity(Int(t.SizeBytes)) } });
            mounts.Add(new V1VolumeMount { Name = name, MountPath = t.Path });
        }
        var seccomp = new V1SeccompProfile { Type = "RuntimeDefault" };
        var containerSecurity = new V1SecurityContext
        {
            AllowPrivilegeEscalation = false,
            Privileged = false,
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = spec.ReadOnlyRootFilesystem,
            Capabilities = new V1Capabilities { Drop = ["ALL"], Add = spec.Capabilities.Count > 0 ? [.. spec.Capabilities] : null },
            SeccompProfile = seccomp,
        };
        var limits = new V1ResourceRequirements
        {
            Limits = options.EphemeralStorage is { Length: > 0 } disk
                ? new Dictionary<string, ResourceQuantity> { ["cpu"] = new(MilliCpu(cpus)), ["memory"] = new(Int(memory)), ["ephemeral-storage"] = new(disk) }
                : new Dictionary<string, ResourceQuantity> { ["cpu"] = new(MilliCpu(cpus)), ["memory"] = new(Int(memory)) },
            Requests = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new(MilliCpu(Math.Min(cpus, spec.Resources.CpuRequest ?? cpus * Math.Clamp(options.CpuRequestRatio, 0.01, 1)))),
                ["memory"] = new(Int(Math.Min(memory, spec.Resources.MemoryRequestBytes ?? (long)(memory * Math.Clamp(options.MemoryRequestRatio, 0.01, 1))))),
            },
        };
        return new V1PodSpec
        {
            // Deployments only allow Always: exits are restarted by the kubelet (documented in docs/kubernetes.md).
            RestartPolicy = "Always",
            TerminationGracePeriodSeconds = (long)Math.Ceiling(spec.StopGracePeriod.TotalSeconds),
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            Hostname = spec.Id.Value,
            ImagePullSecrets = options.RegistryPullSecret is { } secret ? [new V1LocalObjectReference { Name = secret }] : null,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = user.Uid,
                RunAsGroup = user.Gid ?? user.Uid,
                // New volumes are made writable for the workload's group, like Docker copying the image's owner.
                FsGroup = user.Gid ?? user.Uid,
                SeccompProfile = seccomp,
            },
            Volumes = volumes.Count > 0 ? volumes : null,
            InitContainers = Seeds(spec, containerSecurity, limits),
            Containers =
            [
                new V1Container
                {
                    Name = ContainerName,
                    Image = spec.Image,
                    Command = spec.Command is { Count: > 0 } c ? [c[0]] : null,
                    Args = spec.Command is { Count: > 1 } a ? [.. a.Skip(1)] : null,
                    Env = Env(spec),
                    WorkingDir = spec.WorkingDirectory,
                    Tty = spec.Tty ? true : null,
                    Stdin = spec.Tty ? true : null,
                    ImagePullPolicy = "IfNotPresent",
                    Resources = limits,
                    SecurityContext = containerSecurity,
                    VolumeMounts = mounts.Count > 0 ? mounts : null,
                    ReadinessProbe = spec.HealthCheck is { } h ? new V1Probe
                    {
                        Exec = new V1ExecAction { Command = [.. h.Command] },
                        PeriodSeconds = Seconds(h.Interval),
                        TimeoutSeconds = Seconds(h.Timeout),
                        FailureThreshold = Math.Max(1, h.Retries),
                        InitialDelaySeconds = h.StartPeriod > TimeSpan.Zero ? Seconds(h.StartPeriod) : null,
                    } : null,
                },
            ],
        };
    }

    /// <summary>Where a volume is mounted in the seeding init container.</summary>
    public const string SeedPath = "/classcloud-seed";

    /// <summary>
    /// Docker fills a new, empty volume with the image's content at the mount path (a home directory
    /// with its dotfiles); Kubernetes mounts an empty claim over it. One init container per writable
    /// volume copies the image's directory into the claim while the claim is empty (a new
    /// file system's lost+found does not count), so both drivers
    /// start a workspace the same way. It needs sh and cp in the image (every Debian-based one has them).
    /// </summary>
    static List<V1Container>? Seeds(WorkloadSpec spec, V1SecurityContext security, V1ResourceRequirements limits)
    {
        var seeds = spec.Volumes
            .Select((v, i) => (Volume: v, Index: i))
            .Where(v => !v.Volume.ReadOnly)
            .Select(v => new V1Container
            {
                Name = $"seed-{Int(v.Index)}",
                Image = spec.Image,
                Command = ["sh", "-c", "[ -n \"$(ls -A \"$2\" | grep -vx lost+found)\" ] || [ ! -d \"$1\" ] || cp -a \"$1\"/. \"$2\"/", "seed", v.Volume.Path, SeedPath],
                ImagePullPolicy = "IfNotPresent",
                Resources = limits,
                SecurityContext = security with { ReadOnlyRootFilesystem = true },
                VolumeMounts = [new V1VolumeMount { Name = $"vol-{Int(v.Index)}", MountPath = SeedPath }],
            })
            .ToList();
        return seeds.Count > 0 ? seeds : null;
    }

    static int Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds));
}

/// <summary>What the driver itself serializes: the spec annotation and the exec resize message.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkloadSpec))]
[JsonSerializable(typeof(TerminalSize))]
internal sealed partial class KubeJson : JsonSerializerContext;

/// <summary>Terminal size sent on the exec resize channel (4).</summary>
internal sealed record TerminalSize([property: JsonPropertyName("Width")] int Width, [property: JsonPropertyName("Height")] int Height);
