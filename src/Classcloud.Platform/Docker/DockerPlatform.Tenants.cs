using System.Net;

namespace Classcloud.Platform.Docker;

/// <summary>
/// Moving a workload between tenant networks (network connect, then disconnect) instead of recreating it.
/// A container's labels (spec hash and spec included) cannot change, so a moved container still carries the
/// tenant it was created on: <see cref="CreateAsync"/> accepts it for a spec that differs only in the tenant
/// (it hashes the spec again with the creation tenant) and <see cref="ToStatus"/> reports the tenant whose
/// network the container is on. Everything else in the spec still decides by hash, so a changed image or
/// limit replaces the container as before.
/// </summary>
internal sealed partial class DockerPlatform
{
    const string NetworkPrefix = "classcloud-";
    const string NoNetwork = "none";

    public async Task MoveTenantAsync(WorkloadId id, string tenant, CancellationToken ct)
    {
        var containers = await InspectInstancesAsync(ByWorkload(id), ct);
        if (containers.Count == 0)
        {
            throw new PlatformNotFoundException($"No such workload: {id}");
        }
        if (await FindNetworkAsync(ContainerRequests.NetworkName(tenant), ct) is null)
        {
            await EnsureTenantNetworkAsync(tenant, allowEgress: false, ct);
        }
        foreach (var container in containers)
        {
            await MoveContainerAsync(id, container, tenant, ct);
        }
    }

    /// <summary>
    /// Connects the container to the tenant's network first (so a moved container is never without one), then
    /// leaves every other tenant network. A container created without a network ("none": a warm-pool container)
    /// must leave "none" first: the engine refuses a second network beside it.
    /// </summary>
    async Task MoveContainerAsync(WorkloadId id, ContainerInspect container, string tenant, CancellationToken ct)
    {
        var target = ContainerRequests.NetworkName(tenant);
        var networks = container.NetworkSettings?.Networks ?? [];
        if (networks.ContainsKey(NoNetwork))
        {
            try
            {
                await PostAsync($"networks/{NoNetwork}/disconnect",
                    DockerClient.Json(new NetworkDisconnectRequest(container.Id, Force: true), DockerJson.Default.NetworkDisconnectRequest), ct);
            }
            catch (PlatformException ex) when (ex.Message.Contains("is not connected", StringComparison.Ordinal))
            {
                // Left concurrently (the reconciler and the hand-over both move it).
            }
        }
        if (!networks.ContainsKey(target))
        {
            try
            {
                await PostAsync($"networks/{target}/connect",
                    DockerClient.Json(new NetworkConnectRequest(container.Id, new EndpointSettings { Aliases = [id.Value] }), DockerJson.Default.NetworkConnectRequest), ct);
            }
            catch (PlatformException ex) when (ex is PlatformConflictException || ex.StatusCode == (int)HttpStatusCode.Forbidden)
            {
                // Connected concurrently (the engine answers "endpoint ... already exists" with 403 on 20.10).
            }
        }
        foreach (var name in networks.Keys.Where(n => n != target && n.StartsWith(NetworkPrefix, StringComparison.Ordinal)))
        {
            try
            {
                await PostAsync($"networks/{name}/disconnect",
                    DockerClient.Json(new NetworkDisconnectRequest(container.Id, Force: true), DockerJson.Default.NetworkDisconnectRequest), ct);
            }
            catch (PlatformException ex) when (ex is PlatformNotFoundException || ex.Message.Contains("is not connected", StringComparison.Ordinal))
            {
                // Gone already (network removed, or disconnected concurrently).
            }
        }
    }

    async Task PostAsync(string path, HttpContent body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DockerClient.Url(path)) { Content = body };
        using var response = await docker.SendAsync(request, ct);
    }

    /// <summary>Whether an existing container was made from <paramref name="spec"/> apart from the tenant (moved, or to be moved).</summary>
    static bool SameButTenant(IReadOnlyDictionary<string, string> labels, WorkloadSpec spec) =>
        spec.Tenant is not null && labels.GetValueOrDefault(PlatformInfo.TenantLabel) is var created && created != spec.Tenant
        && labels.GetValueOrDefault(PlatformInfo.SpecHashLabel) == ContainerRequests.SpecHash(spec with { Tenant = created });

    /// <summary>The tenant networks a container is on, by tenant name.</summary>
    static List<string> TenantsOf(ContainerInspect c) =>
        [.. (c.NetworkSettings?.Networks ?? []).Keys.Where(n => n.StartsWith(NetworkPrefix, StringComparison.Ordinal)).Select(n => n[NetworkPrefix.Length..])];
}
