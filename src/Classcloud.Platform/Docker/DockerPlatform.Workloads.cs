using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    public Task<WorkloadStatus> CreateAsync(WorkloadSpec spec, CancellationToken ct) => CreateAgainOnClashAsync(spec, attempt: 1, ct);

    async Task<WorkloadStatus> CreateAgainOnClashAsync(WorkloadSpec spec, int attempt, CancellationToken ct)
    {
        SecurityDefaults.Validate(spec);
        var hash = ContainerRequests.SpecHash(spec);
        var existing = await InspectInstancesAsync(ByWorkload(spec.Id), ct);
        var kept = new HashSet<int>();
        var changed = false;
        foreach (var container in existing)
        {
            var labels = container.Config.Labels ?? [];
            var replica = ReplicaOf(labels);
            if (replica < spec.Replicas && (labels.GetValueOrDefault(PlatformInfo.SpecHashLabel) == hash || SameButTenant(labels, spec)) && kept.Add(replica))
            {
                if (spec.Tenant is { } tenant && TenantsOf(container) is var on && (on.Count != 1 || on[0] != tenant))
                {
                    await MoveContainerAsync(spec.Id, container, tenant, ct);
                    changed = true;
                }
                continue;
            }
            await RemoveContainerAsync(container.Id, ct);
            changed = true;
        }
        if (!changed && existing.Count > 0 && kept.Count == spec.Replicas)
        {
            // Every replica is there as specified (a start of a stopped workload): what was just inspected is the status.
            return ToStatus(spec.Id, existing);
        }
        for (var replica = 0; replica < spec.Replicas; replica++)
        {
            if (!kept.Contains(replica))
            {
                var name = ContainerRequests.ContainerName(spec.Id, replica);
                try
                {
                    await docker.PostJsonAsync(Query("containers/create", ("name", name)), ContainerRequests.Create(spec, replica, defaults),
                        DockerJson.Default.ContainerCreateRequest, DockerJson.Default.IdResponse, ct);
                }
                catch (PlatformConflictException ex) when (attempt < 5)
                {
                    // Another caller (the reconciler and a workspace job, two hosts) is creating it: converge on
                    // what is there. The engine reserves the name before the container can be listed, so look
                    // again after a moment; clashing every time means a name Classcloud did not make.
                    logger.LogInformation("Container {Name} appeared meanwhile: {Message}", name, ex.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), time, ct);
                    return await CreateAgainOnClashAsync(spec, attempt + 1, ct);
                }
            }
        }
        return await GetAsync(spec.Id, ct) ?? new WorkloadStatus(spec.Id, WorkloadSecrets.Redact(spec), []);
    }

    public async Task<WorkloadStatus> EnsureAsync(WorkloadSpec spec, CancellationToken ct)
    {
        var status = await CreateAsync(spec, ct);
        var stopped = status.Instances.Where(i => i.State is InstanceState.Created or InstanceState.Exited).ToList();
        if (stopped.Count == 0)
        {
            return status;
        }
        await Task.WhenAll(stopped.Select(i => docker.SendAsync(HttpMethod.Post, $"containers/{i.InstanceId}/start", ct)));
        // The containers are known: inspect them again without listing first (a start waits on this).
        var after = await InspectAsync(status.Instances.Select(i => i.InstanceId), ct);
        return after.Count == 0 ? status : ToStatus(spec.Id, after);
    }

    public async Task<WorkloadStatus?> GetAsync(WorkloadId id, CancellationToken ct)
    {
        var containers = await InspectInstancesAsync(ByWorkload(id), ct);
        return containers.Count == 0 ? null : ToStatus(id, containers);
    }

    public async Task<IReadOnlyList<WorkloadStatus>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var containers = await InspectInstancesAsync(labels, ct);
        return [.. containers
            .GroupBy(c => c.Config.Labels?.GetValueOrDefault(PlatformInfo.WorkloadLabel) ?? "")
            .Where(g => WorkloadId.IsValid(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ToStatus(new WorkloadId(g.Key), [.. g]))];
    }

    public Task StartAsync(WorkloadId id, CancellationToken ct) => ForEachReplicaAsync(id, "start", ct);

    public Task StopAsync(WorkloadId id, CancellationToken ct) => ForEachReplicaAsync(id, "stop", ct);

    public Task RestartAsync(WorkloadId id, CancellationToken ct) => ForEachReplicaAsync(id, "restart", ct);

    public Task PauseAsync(WorkloadId id, CancellationToken ct) => ForEachReplicaInStateAsync(id, InstanceState.Running, "pause", ct);

    public Task UnpauseAsync(WorkloadId id, CancellationToken ct) => ForEachReplicaInStateAsync(id, InstanceState.Paused, "unpause", ct);

    /// <summary>
    /// The engine answers 409 to pausing a paused container, so only replicas in <paramref name="state"/> are asked.
    /// The list says each container's state: one engine call before the action, not a list and an inspect per
    /// replica (a resume waits on this).
    /// </summary>
    async Task ForEachReplicaInStateAsync(WorkloadId id, InstanceState state, string action, CancellationToken ct)
    {
        var path = Query("containers/json", ("all", "1"), ("filters", LabelFilter(ByWorkload(id))));
        var containers = await docker.GetJsonAsync(path, DockerJson.Default.ListContainerSummary, ct);
        if (containers.Count == 0)
        {
            throw new PlatformNotFoundException($"No such workload: {id}");
        }
        var wanted = state == InstanceState.Paused ? "paused" : "running";
        await Task.WhenAll(containers
            .Where(c => c.State == wanted)
            .Select(c => docker.SendAsync(HttpMethod.Post, $"containers/{c.Id}/{action}", ct)));
    }

    public async Task<bool> RemoveAsync(WorkloadId id, CancellationToken ct)
    {
        var ids = await ListContainerIdsAsync(ByWorkload(id), ct);
        await Task.WhenAll(ids.Select(c => RemoveContainerAsync(c, ct)));
        return ids.Count > 0;
    }

    public async Task<WorkloadStatus> ScaleAsync(WorkloadId id, int replicas, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var status = await GetAsync(id, ct)
            ?? throw new PlatformNotFoundException($"No such workload: {id}");
        var spec = status.Spec
            ?? throw new PlatformException($"Workload {id} carries no readable spec label; recreate it with EnsureAsync.");
        var scaled = await WithSecretsAsync(spec with { Replicas = replicas }, ct);
        return status.Running > 0 ? await EnsureAsync(scaled, ct) : await CreateAsync(scaled, ct);
    }

    /// <summary>
    /// The label keeps only digests of secrets; new replicas need the values, which the running
    /// containers' environment still holds (checked against the digests).
    /// </summary>
    async Task<WorkloadSpec> WithSecretsAsync(WorkloadSpec stored, CancellationToken ct)
    {
        if (stored.SecretEnvironment.Count == 0)
        {
            return stored;
        }
        foreach (var container in await InspectInstancesAsync(ByWorkload(stored.Id), ct))
        {
            var env = (container.Config.Env ?? []).Select(e => e.Split('=', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
            var secrets = stored.SecretEnvironment.ToDictionary(
                s => s.Key, s => env.TryGetValue(s.Key, out var value) && WorkloadSecrets.Digest(stored.Id, s.Key, value) == s.Value ? value : null);
            if (secrets.Values.All(v => v is not null))
            {
                return stored with { SecretEnvironment = secrets.ToDictionary(s => s.Key, s => s.Value!) };
            }
        }
        throw new PlatformException($"Workload {stored.Id} has secrets no container holds any more; recreate it with EnsureAsync.");
    }

    /// <summary>
    /// Runs an action on every replica. With no replica found, replica 0 is asked anyway, so a
    /// missing workload gets the engine's own "No such container" answer.
    /// </summary>
    async Task ForEachReplicaAsync(WorkloadId id, string action, CancellationToken ct)
    {
        var ids = await ListContainerIdsAsync(ByWorkload(id), ct);
        if (ids.Count == 0)
        {
            ids = [ContainerRequests.ContainerName(id, 0)];
        }
        await Task.WhenAll(ids.Select(c => docker.SendAsync(HttpMethod.Post, $"containers/{c}/{action}", ct)));
    }

    async Task RemoveContainerAsync(string container, CancellationToken ct)
    {
        try
        {
            await docker.SendAsync(HttpMethod.Delete, Query($"containers/{container}", ("force", "1")), ct);
        }
        catch (PlatformNotFoundException)
        {
            // Already gone (removed concurrently): the goal is reached.
        }
    }

    async Task<List<string>> ListContainerIdsAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var path = Query("containers/json", ("all", "1"), ("filters", LabelFilter(labels)));
        var summaries = await docker.GetJsonAsync(path, DockerJson.Default.ListContainerSummary, ct);
        return [.. summaries.Select(s => s.Id)];
    }

    async Task<List<ContainerInspect>> InspectInstancesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        await InspectAsync(await ListContainerIdsAsync(labels, ct), ct);

    async Task<List<ContainerInspect>> InspectAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var inspected = await Task.WhenAll(ids.Select(async c =>
        {
            try
            {
                return await docker.GetJsonAsync($"containers/{c}/json", DockerJson.Default.ContainerInspect, ct);
            }
            catch (PlatformNotFoundException)
            {
                return null;  // removed between list and inspect
            }
        }));
        return [.. inspected.OfType<ContainerInspect>()];
    }

    static Dictionary<string, string> ByWorkload(WorkloadId id) => new() { [PlatformInfo.WorkloadLabel] = id.Value };

    static int ReplicaOf(IReadOnlyDictionary<string, string> labels) =>
        int.TryParse(labels.GetValueOrDefault(PlatformInfo.ReplicaLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : -1;

    static WorkloadStatus ToStatus(WorkloadId id, List<ContainerInspect> containers)
    {
        var instances = containers.Select(ToInstance).OrderBy(i => i.Replica).ToList();
        WorkloadSpec? spec = null;
        var first = containers.MinBy(c => ReplicaOf(c.Config.Labels ?? []));
        if (first?.Config.Labels?.GetValueOrDefault(PlatformInfo.SpecLabel) is { Length: > 0 } json)
        {
            try
            {
                spec = JsonSerializer.Deserialize(json, DockerJson.Default.WorkloadSpec) is { } s ? s with { Replicas = instances.Count } : null;
                // A moved container (MoveTenantAsync) is specified for the tenant it is on now, not the one it was
                // created on (which may have been none: a warm-pool container waits on no network at all).
                if (spec is not null && TenantsOf(first) is [var tenant])
                {
                    spec = spec with { Tenant = tenant };
                }
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                spec = null;  // written by another version or by hand: the status still counts
            }
        }
        return new WorkloadStatus(id, spec, instances);
    }

    static InstanceStatus ToInstance(ContainerInspect c)
    {
        var state = c.State.Status switch
        {
            "created" => InstanceState.Created,
            "running" => InstanceState.Running,
            "paused" => InstanceState.Paused,
            "restarting" => InstanceState.Restarting,
            "exited" => InstanceState.Exited,
            _ => InstanceState.Unknown,
        };
        var health = c.State.Health?.Status switch
        {
            "starting" => HealthState.Starting,
            "healthy" => HealthState.Healthy,
            "unhealthy" => HealthState.Unhealthy,
            _ => HealthState.None,
        };
        var address = c.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(a => !string.IsNullOrEmpty(a));
        return new InstanceStatus(
            ReplicaOf(c.Config.Labels ?? []),
            c.Id,
            state,
            health,
            state is InstanceState.Exited or InstanceState.Restarting ? c.State.ExitCode : null,
            c.State.OOMKilled,
            c.RestartCount,
            ParseTime(c.State.StartedAt),
            ParseTime(c.State.FinishedAt),
            address,
            string.IsNullOrEmpty(c.State.Error) ? null : c.State.Error);
    }
}
