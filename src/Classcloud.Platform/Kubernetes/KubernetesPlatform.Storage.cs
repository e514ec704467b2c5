using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Kubernetes;

internal sealed partial class KubernetesPlatform
{
    /// <summary>
    /// A PersistentVolumeClaim. Pods mount claims of their own namespace only, so the claim goes to
    /// the namespace of the tenant named by the <c>classcloud.io/tenant</c> label (or the tenant-less
    /// namespace); a workload mounting a volume that does not exist yet gets it in its own namespace.
    /// </summary>
    public async Task<VolumeInfo> EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        if (!WorkloadId.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid volume name.", nameof(name));
        }
        if (await FindClaimAsync(name, ct) is { } existing)
        {
            return new VolumeInfo(name, WithoutManagedLabel(existing.Metadata.Labels));
        }
        var tenant = labels.GetValueOrDefault(PlatformInfo.TenantLabel);
        await RequireNamespaceAsync(tenant, ct);
        var ns = objects.NamespaceOf(tenant);
        var claim = await CreateClaimAsync(objects.Volume(name, ns, labels), ct);
        return new VolumeInfo(name, WithoutManagedLabel(claim.Metadata.Labels));
    }

    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken ct)
    {
        if (await FindClaimAsync(name, ct) is not { } claim)
        {
            return false;
        }
        var ns = claim.Metadata.Namespace!;
        // Kubernetes would accept the delete and keep the claim "Terminating" while in use; refuse
        // instead, as Docker does for a volume any container (running or not) refers to.
        var deployments = await kube.GetAsync($"apis/apps/v1/namespaces/{ns}/deployments?" + Selector([]), KubeJson.Default.KubeListDeployment, ct);
        if (deployments.Items.FirstOrDefault(d => d.Spec.Template.Spec.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == name) == true) is { } user)
        {
            throw new PlatformConflictException($"Volume {name} is in use by workload {user.Metadata.Name}.") { StatusCode = 409 };
        }
        return await kube.DeleteAsync($"api/v1/namespaces/{ns}/persistentvolumeclaims/{name}", ct);
    }

    public async Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var claims = await kube.GetAsync("api/v1/persistentvolumeclaims?" + Selector(labels), KubeJson.Default.KubeListPersistentVolumeClaim, ct);
        return [.. claims.Items
            .Where(c => c.Metadata.DeletionTimestamp is null)
            .Select(c => new VolumeInfo(c.Metadata.Name!, WithoutManagedLabel(c.Metadata.Labels)))
            .OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    async Task<PersistentVolumeClaim?> FindClaimAsync(string name, CancellationToken ct)
    {
        var claims = await kube.GetAsync("api/v1/persistentvolumeclaims?" + Selector([]) + "&fieldSelector=" + Uri.EscapeDataString($"metadata.name={name}"),
            KubeJson.Default.KubeListPersistentVolumeClaim, ct);
        return claims.Items.FirstOrDefault(c => c.Metadata.Name == name && c.Metadata.DeletionTimestamp is null);
    }

    async Task<PersistentVolumeClaim> CreateClaimAsync(PersistentVolumeClaim claim, CancellationToken ct)
    {
        try
        {
            return await kube.CreateAsync($"api/v1/namespaces/{claim.Metadata.Namespace}/persistentvolumeclaims", claim, KubeJson.Default.PersistentVolumeClaim, ct);
        }
        catch (PlatformConflictException)
        {
            return claim;  // made concurrently: the same name means the same volume
        }
    }

    /// <summary>Every volume the spec mounts must be a claim in the workload's namespace; missing ones are made there.</summary>
    async Task EnsureClaimsAsync(WorkloadSpec spec, string ns, CancellationToken ct)
    {
        foreach (var volume in spec.Volumes)
        {
            var claim = await FindClaimAsync(volume.Volume, ct);
            if (claim is null)
            {
                var labels = spec.Tenant is null ? new Dictionary<string, string>() : new() { [PlatformInfo.TenantLabel] = spec.Tenant };
                await CreateClaimAsync(objects.Volume(volume.Volume, ns, labels), ct);
            }
            else if (claim.Metadata.Namespace != ns)
            {
                throw new PlatformConflictException(
                    $"Volume {volume.Volume} belongs to namespace {claim.Metadata.Namespace}; on Kubernetes only workloads of that tenant can mount it.") { StatusCode = 409 };
            }
        }
    }

    public async Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct)
    {
        if (!WorkloadId.IsValid(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a valid tenant name.", nameof(tenant));
        }
        if (await kube.FindAsync($"api/v1/namespaces/{objects.NamespaceOf(tenant)}", KubeJson.Default.Namespace, ct) is { } existing)
        {
            return ToTenantNetwork(existing);
        }
        return ToTenantNetwork(await CreateNamespaceAsync(tenant, allowEgress, ct));
    }

    /// <summary>The namespace with its policies, quota and pull secret; creating it again is harmless.</summary>
    async Task<Namespace> CreateNamespaceAsync(string? tenant, bool allowEgress, CancellationToken ct)
    {
        var ns = objects.NamespaceOf(tenant);
        Namespace created;
        try
        {
            created = await kube.CreateAsync("api/v1/namespaces", objects.Namespace(tenant, allowEgress), KubeJson.Default.Namespace, ct);
        }
        catch (PlatformConflictException)
        {
            created = await kube.GetAsync($"api/v1/namespaces/{ns}", KubeJson.Default.Namespace, ct);
        }
        foreach (var policy in objects.NetworkPolicies(tenant, allowEgress))
        {
            await CreateIgnoringConflictAsync(() => kube.CreateAsync($"apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies", policy, KubeJson.Default.NetworkPolicy, ct));
        }
        await CreateIgnoringConflictAsync(() => kube.CreateAsync($"api/v1/namespaces/{ns}/resourcequotas", objects.Quota(tenant), KubeJson.Default.ResourceQuota, ct));
        await CopyPullSecretAsync(ns, ct);
        return created;
    }

    /// <summary>The registry pull secret lives in Classcloud's namespace; pods can only use one in their own.</summary>
    async Task CopyPullSecretAsync(string ns, CancellationToken ct)
    {
        if (objects.Options.RegistryPullSecret is not { } name || (objects.Options.Namespace ?? kube.DefaultNamespace) is not { } home)
        {
            return;
        }
        var secret = await kube.FindAsync($"api/v1/namespaces/{home}/secrets/{name}", KubeJson.Default.Secret, ct);
        if (secret is null)
        {
            logger.LogWarning("The registry pull secret {Secret} is not in namespace {Namespace}; pods in {Tenant} cannot pull private images.", name, home, ns);
            return;
        }
        var copy = new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { [PlatformInfo.ManagedLabel] = "true" } },
            Type = secret.Type,
            Data = secret.Data,
        };
        await CreateIgnoringConflictAsync(() => kube.CreateAsync($"api/v1/namespaces/{ns}/secrets", copy, KubeJson.Default.Secret, ct));
    }

    static async Task CreateIgnoringConflictAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create();
        }
        catch (PlatformConflictException)
        {
            // Already there (made by an earlier, interrupted call).
        }
    }

    /// <summary>A tenant's namespace must exist (as a Docker network must); the tenant-less one is made on first use.</summary>
    async Task RequireNamespaceAsync(string? tenant, CancellationToken ct)
    {
        var ns = objects.NamespaceOf(tenant);
        if (await kube.FindAsync($"api/v1/namespaces/{ns}", KubeJson.Default.Namespace, ct) is { Metadata.DeletionTimestamp: null })
        {
            return;
        }
        if (tenant is not null)
        {
            throw new PlatformNotFoundException($"No tenant network {tenant} (namespace {ns}); create it first.") { StatusCode = 404 };
        }
        await CreateNamespaceAsync(null, allowEgress: false, ct);
    }

    /// <summary>A tenant is a namespace here, and a pod cannot change namespace: the warm pool stays off on Kubernetes.</summary>
    public Task MoveTenantAsync(WorkloadId id, string tenant, CancellationToken ct) =>
        throw new PlatformNotSupportedException("Kubernetes cannot move a workload to another namespace; the workspace warm pool is off on this platform.");

    public async Task<bool> RemoveTenantNetworkAsync(string tenant, CancellationToken ct)
    {
        var ns = objects.NamespaceOf(tenant);
        if (await kube.FindAsync($"api/v1/namespaces/{ns}", KubeJson.Default.Namespace, ct) is not { } existing || existing.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }
        var deployments = await kube.GetAsync($"apis/apps/v1/namespaces/{ns}/deployments?" + Selector([]), KubeJson.Default.KubeListDeployment, ct);
        if (deployments.Items.Count > 0)
        {
            throw new PlatformConflictException($"Tenant network {tenant} still has workloads: {string.Join(", ", deployments.Items.Select(d => d.Metadata.Name))}.") { StatusCode = 409 };
        }
        return await kube.DeleteAsync($"api/v1/namespaces/{ns}", ct);
    }

    public async Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct)
    {
        var list = await kube.GetAsync("api/v1/namespaces?" + Selector([]), KubeJson.Default.KubeListNamespace, ct);
        return [.. list.Items
            .Where(n => n.Metadata.Labels?.ContainsKey(PlatformInfo.TenantLabel) == true && n.Metadata.DeletionTimestamp is null)
            .Select(ToTenantNetwork)
            .OrderBy(n => n.Tenant, StringComparer.Ordinal)];
    }

    TenantNetworkInfo ToTenantNetwork(Namespace n) =>
        new(n.Metadata.Labels?.GetValueOrDefault(PlatformInfo.TenantLabel) ?? n.Metadata.Name!, n.Metadata.Labels?.GetValueOrDefault(KubeObjects.EgressLabel) != "true", null);
}
