using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Docker;

internal sealed partial class DockerPlatform
{
    public async Task<VolumeInfo> EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        if (!WorkloadId.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid volume name.", nameof(name));
        }
        var all = new Dictionary<string, string>(labels) { [PlatformInfo.ManagedLabel] = "true" };
        // The engine answers an existing name with the existing volume, so this is idempotent.
        var volume = await docker.PostJsonAsync("volumes/create", new VolumeCreateRequest(name, "local", all),
            DockerJson.Default.VolumeCreateRequest, DockerJson.Default.VolumeView, ct);
        return new VolumeInfo(volume.Name, WithoutManagedLabel(volume.Labels ?? all));
    }

    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken ct)
    {
        try
        {
            await docker.SendAsync(HttpMethod.Delete, $"volumes/{name}", ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var list = await docker.GetJsonAsync(Query("volumes", ("filters", LabelFilter(labels))), DockerJson.Default.VolumeList, ct);
        return [.. (list.Volumes ?? []).Select(v => new VolumeInfo(v.Name, WithoutManagedLabel(v.Labels ?? []))).OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    public async Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct)
    {
        if (!WorkloadId.IsValid(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a valid tenant name.", nameof(tenant));
        }
        var name = ContainerRequests.NetworkName(tenant);
        var bridge = ContainerRequests.BridgeName(tenant);
        if (await FindNetworkAsync(name, ct) is { } existing)
        {
            if (existing.Options?.GetValueOrDefault(ContainerRequests.BridgeNameOption) == bridge || !await TryRemoveUnnamedBridgeAsync(existing, ct))
            {
                return ToTenantNetwork(existing);
            }
        }
        var create = new NetworkCreateRequest
        {
            Name = name,
            Internal = !allowEgress,
            Labels = new() { [PlatformInfo.ManagedLabel] = "true", [PlatformInfo.TenantLabel] = tenant },
            Options = new() { [ContainerRequests.BridgeNameOption] = bridge },
        };
        try
        {
            await docker.PostJsonAsync("networks/create", create, DockerJson.Default.NetworkCreateRequest, DockerJson.Default.IdResponse, ct);
        }
        catch (PlatformConflictException)
        {
            // Created concurrently by someone else: use theirs.
        }
        return ToTenantNetwork(await FindNetworkAsync(name, ct) ?? throw new PlatformException($"Network {name} was created but cannot be found."));
    }

    public async Task<bool> RemoveTenantNetworkAsync(string tenant, CancellationToken ct)
    {
        try
        {
            await docker.SendAsync(HttpMethod.Delete, $"networks/{ContainerRequests.NetworkName(tenant)}", ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
        catch (PlatformException ex) when (ex is not PlatformConflictException && ex.Message.Contains("active endpoints", StringComparison.Ordinal))
        {
            // The engine answers 403 for a network in use; it is a conflict like a volume in use (409).
            throw new PlatformConflictException(ex.Message, ex) { StatusCode = ex.StatusCode };
        }
    }

    public async Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct)
    {
        var networks = await docker.GetJsonAsync(Query("networks", ("filters", LabelFilter([]))), DockerJson.Default.ListNetworkView, ct);
        return [.. networks.Where(n => n.Labels?.ContainsKey(PlatformInfo.TenantLabel) == true).Select(ToTenantNetwork).OrderBy(n => n.Tenant, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A network made before bridges were named cc-* escapes the host firewall; it is replaced when
    /// nothing uses it, else kept (with a warning) until its workloads leave it.
    /// </summary>
    async Task<bool> TryRemoveUnnamedBridgeAsync(NetworkView network, CancellationToken ct)
    {
        try
        {
            await docker.SendAsync(HttpMethod.Delete, $"networks/{network.Id}", ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return true;
        }
        catch (PlatformException ex)
        {
            logger.LogWarning("Network {Network} has no cc-* bridge, so the host firewall does not cover it; it is in use and stays until it is empty: {Message}", network.Name, ex.Message);
            return false;
        }
    }

    async Task<NetworkView?> FindNetworkAsync(string name, CancellationToken ct)
    {
        try
        {
            var network = await docker.GetJsonAsync($"networks/{name}", DockerJson.Default.NetworkView, ct);
            // The engine also matches on id prefixes; only an exact name counts.
            return network.Name == name ? network : null;
        }
        catch (PlatformNotFoundException)
        {
            return null;
        }
    }

    static TenantNetworkInfo ToTenantNetwork(NetworkView n) =>
        new(n.Labels?.GetValueOrDefault(PlatformInfo.TenantLabel) ?? n.Name, n.Internal, n.IPAM?.Config?.FirstOrDefault()?.Subnet);
}
