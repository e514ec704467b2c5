using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Classcloud.Platform.Docker;

/// <summary>Turns a <see cref="WorkloadSpec"/> into container create requests, with the security defaults applied.</summary>
internal static class ContainerRequests
{
    public static string ContainerName(WorkloadId id, int replica) => $"{id.Value}-{replica.ToString(CultureInfo.InvariantCulture)}";

    public static string NetworkName(string tenant) => $"classcloud-{tenant}";

    /// <summary>
    /// The Linux bridge of a tenant network: <c>cc-</c> and 12 hex digits of the tenant's hash (15
    /// characters, the kernel's limit). The host firewall matches <c>cc-+</c> to drop new
    /// connections from workloads to the host (scripts/lib.sh isolate_workloads).
    /// </summary>
    public static string BridgeName(string tenant) =>
        "cc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)))[..12];

    /// <summary>Docker's network option that names the bridge.</summary>
    public const string BridgeNameOption = "com.docker.network.bridge.name";

    /// <summary>The spec as the label stores it: secrets only as digests (the label is readable by anyone who can list containers).</summary>
    public static string SpecJson(WorkloadSpec spec) => JsonSerializer.Serialize(WorkloadSecrets.Redact(spec), DockerJson.Default.WorkloadSpec);

    /// <summary>Hash of everything but the replica count, so scaling never recreates instances; a changed secret changes its digest, hence the hash.</summary>
    public static string SpecHash(WorkloadSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SpecJson(spec with { Replicas = 0 }))))[..16];

    public static ContainerCreateRequest Create(WorkloadSpec spec, int replica, WorkloadDefaults defaults)
    {
        var labels = new Dictionary<string, string>(spec.Labels)
        {
            [PlatformInfo.ManagedLabel] = "true",
            [PlatformInfo.WorkloadLabel] = spec.Id.Value,
            [PlatformInfo.ReplicaLabel] = replica.ToString(CultureInfo.InvariantCulture),
            [PlatformInfo.SpecHashLabel] = SpecHash(spec),
            [PlatformInfo.SpecLabel] = SpecJson(spec),
        };
        if (spec.Tenant is not null)
        {
            labels[PlatformInfo.TenantLabel] = spec.Tenant;
        }
        var memory = spec.Resources.MemoryBytes ?? defaults.MemoryBytes;
        var network = spec.Tenant is null ? "none" : NetworkName(spec.Tenant);
        return new ContainerCreateRequest
        {
            Image = spec.Image,
            Entrypoint = spec.Command is { Count: > 0 } command ? [command[0]] : null,
            Cmd = spec.Command is { Count: > 0 } args ? [.. args.Skip(1)] : null,
            Env = [.. WorkloadSecrets.ProcessEnvironment(spec).Select(e => $"{e.Key}={e.Value}")],
            Labels = labels,
            User = spec.User ?? defaults.User,
            WorkingDir = spec.WorkingDirectory,
            Hostname = spec.Id.Value,
            Tty = spec.Tty,
            OpenStdin = spec.Tty,
            StopTimeout = (int)Math.Ceiling(spec.StopGracePeriod.TotalSeconds),
            Healthcheck = spec.HealthCheck is { } h
                ? new HealthConfig(["CMD", .. h.Command], Nanos(h.Interval), Nanos(h.Timeout), h.Retries, Nanos(h.StartPeriod))
                : null,
            HostConfig = new HostConfig
            {
                Memory = memory,
                MemorySwap = memory,  // no swap on top of the limit (ignored where swap accounting is off)
                NanoCpus = (long)((spec.Resources.Cpus ?? defaults.Cpus) * 1e9),
                // A request is a guarantee under contention: the CPU weight (1024 = one core's worth) and a soft memory reservation.
                CpuShares = spec.Resources.CpuRequest is { } request ? Math.Max(2, (long)Math.Round(request * 1024)) : null,
                MemoryReservation = spec.Resources.MemoryRequestBytes is { } reserved ? Math.Min(reserved, memory) : null,
                PidsLimit = spec.Resources.Pids ?? defaults.Pids,
                CapDrop = ["ALL"],
                CapAdd = spec.Capabilities.Count > 0 ? [.. spec.Capabilities] : null,
                SecurityOpt = ["no-new-privileges"],
                Privileged = false,
                ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
                // mode=1777 as /tmp: Docker mounts a tmpfs root-owned 0755, which the non-root workload could not write.
                Tmpfs = spec.Tmpfs.Count > 0
                    ? spec.Tmpfs.ToDictionary(t => t.Path, t => $"rw,nosuid,nodev,{(t.Exec ? "exec," : "")}mode=1777,size={t.SizeBytes.ToString(CultureInfo.InvariantCulture)}")
                    : null,
                Mounts = [.. spec.Volumes.Select(v => new MountRequest("volume", v.Volume, v.Path, v.ReadOnly)),
                    .. (spec.HostDirectories ?? []).Select(h => new MountRequest("bind", h.HostPath, h.Path, ReadOnly: true))],
                RestartPolicy = spec.RestartPolicy switch
                {
                    RestartPolicy.OnFailure => new RestartPolicyConfig("on-failure"),
                    // unless-stopped: a workload we stopped stays stopped when dockerd restarts.
                    RestartPolicy.Always => new RestartPolicyConfig("unless-stopped"),
                    _ => new RestartPolicyConfig("no"),
                },
                NetworkMode = network,
                // Workloads are the first the kernel kills when the host runs out of memory. Only a
                // positive value: lowering it needs CAP_SYS_RESOURCE, which our machines deny.
                OomScoreAdj = 300,
                // Bounded logs: a chatty workload cannot fill the disk.
                LogConfig = new LogConfig("json-file", new() { ["max-size"] = "10m", ["max-file"] = "3" }),
            },
            NetworkingConfig = spec.Tenant is null
                ? null
                : new NetworkingConfig(new() { [network] = new EndpointSettings { Aliases = [spec.Id.Value] } }),
        };
    }

    static long Nanos(TimeSpan t) => t.Ticks * 100;
}
