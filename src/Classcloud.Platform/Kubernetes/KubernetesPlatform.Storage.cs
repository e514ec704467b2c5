using k8s;
using k8s.Models;
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
        var ns = claim.Metadata.NamespaceProperty;
        // Kubernetes would accept the delete and keep the claim "Terminating" while in use; refuse
        // instead, as Docker does for a volume any container (running or not) refers to.
        var deployments = await ManagedDeploymentsAsync(ns, ct);
        if (deployments.FirstOrDefault(d => d.Spec.Template.Spec.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == name) == true) is { } user)
        {
            throw new PlatformConflictException($"Volume {name} is in use by workload {user.Metadata.Name}.") { StatusCode = 409 };
        }
        return await kube.DeleteAsync($"DELETE persistentvolumeclaim {ns}/{name}", (k, c) => k.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(name, ns, propagationPolicy: KubeApi.Background, cancellationToken: c), ct);
    }

    public async Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken ct)
    {
        var claims = await kube.RequestAsync("GET persistentvolumeclaims", (k, c) => k.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(labelSelector: Selector(labels), cancellationToken: c), ct);
        return [.. claims.Items
            .Where(c => c.Metadata.DeletionTimestamp is null)
            .Select(c => new VolumeInfo(c.Metadata.Name, WithoutManagedLabel(c.Metadata.Labels)))
            .OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    async Task<V1PersistentVolumeClaim?> FindClaimAsync(string name, CancellationToken ct)
    {
        var claims = await kube.RequestAsync($"GET persistentvolumeclaim {name}", (k, c) => k.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(
            fieldSelector: $"metadata.name={name}", labelSelector: Selector([]), cancellationToken: c), ct);
        return claims.Items.FirstOrDefault(c => c.Metadata.Name == name && c.Metadata.DeletionTimestamp is null);
    }

    /// <summary>Classcloud's Deployments in one namespace.</summary>
    async Task<IList<V1Deployment>> ManagedDeploymentsAsync(string ns, CancellationToken ct) =>
        (await kube.RequestAsync($"GET deployments in {ns}", (k, c) => k.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: Selector([]), cancellationToken: c), ct)).Items;

    async Task<V1PersistentVolumeClaim> CreateClaimAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        var ns = claim.Metadata.NamespaceProperty;
        try
        {
            return await kube.RequestAsync($"POST persistentvolumeclaims in {ns}", (k, c) => k.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, ns, cancellationToken: c), ct);
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
            else if (claim.Metadata.NamespaceProperty != ns)
            {
                throw new PlatformConflictException(
                    $"Volume {volume.Volume} belongs to namespace {claim.Metadata.NamespaceProperty}; on Kubernetes only workloads of that tenant can mount it.") { StatusCode = 409 };
            }
        }
    }

    public async Task<TenantNetworkInfo> EnsureTenantNetworkAsync(string tenant, bool allowEgress, CancellationToken ct)
    {
        if (!WorkloadId.IsValid(tenant))
        {
            throw new ArgumentException($"'{tenant}' is not a valid tenant name.", nameof(tenant));
        }
        if (await FindNamespaceAsync(objects.NamespaceOf(tenant), ct) is { } existing)
        {
            return ToTenantNetwork(existing);
        }
        return ToTenantNetwork(await CreateNamespaceAsync(tenant, allowEgress, ct));
    }

    /// <summary>The namespace with its policies, quota and pull secret; creating it again is harmless.</summary>
    async Task<V1Namespace> CreateNamespaceAsync(string? tenant, bool allowEgress, CancellationToken ct)
    {
        var ns = objects.NamespaceOf(tenant);
        V1Namespace created;
        try
        {
            var body = objects.Namespace(tenant, allowEgress);
            created = await kube.RequestAsync("POST namespaces", (k, c) => k.CoreV1.CreateNamespaceAsync(body, cancellationToken: c), ct);
        }
        catch (PlatformConflictException)
        {
            created = await kube.RequestAsync($"GET namespace {ns}", (k, c) => k.CoreV1.ReadNamespaceAsync(ns, cancellationToken: c), ct);
        }
        foreach (var policy in objects.NetworkPolicies(tenant, allowEgress))
        {
            await CreateIgnoringConflictAsync(() => kube.RequestAsync($"POST networkpolicies in {ns}", (k, c) => k.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, ns, cancellationToken: c), ct));
        }
        var quota = objects.Quota(tenant);
        await CreateIgnoringConflictAsync(() => kube.RequestAsync($"POST resourcequotas in {ns}", (k, c) => k.CoreV1.CreateNamespacedResourceQuotaAsync(quota, ns, cancellationToken: c), ct));
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
        var secret = await kube.FindAsync($"GET secret {home}/{name}", (k, c) => k.CoreV1.ReadNamespacedSecretAsync(name, home, cancellationToken: c), ct);
        if (secret is null)
        {
            logger.LogWarning("The registry pull secret {Secret} is not in namespace {Namespace}; pods in {Tenant} cannot pull private images.", name, home, ns);
            return;
        }
        var copy = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { [PlatformInfo.ManagedLabel] = "true" } },
            Type = secret.Type,
            Data = secret.Data,
        };
        await CreateIgnoringConflictAsync(() => kube.RequestAsync($"POST secrets in {ns}", (k, c) => k.CoreV1.CreateNamespacedSecretAsync(copy, ns, cancellationToken: c), ct));
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
        if (await FindNamespaceAsync(ns, ct) is { Metadata.DeletionTimestamp: null })
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
        if (await FindNamespaceAsync(ns, ct) is not { } existing || existing.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }
        var deployments = await ManagedDeploymentsAsync(ns, ct);
        if (deployments.Count > 0)
        {
            throw new PlatformConflictException($"Tenant network {tenant} still has workloads: {string.Join(", ", deployments.Select(d => d.Metadata.Name))}.") { StatusCode = 409 };
        }
        return await kube.DeleteAsync($"DELETE namespace {ns}", (k, c) => k.CoreV1.DeleteNamespaceAsync(ns, propagationPolicy: KubeApi.Background, cancellationToken: c), ct);
    }

    public async Task<IReadOnlyList<TenantNetworkInfo>> ListTenantNetworksAsync(CancellationToken ct)
    {
        var list = await kube.RequestAsync("GET namespaces", (k, c) => k.CoreV1.ListNamespaceAsync(labelSelector: Selector([]), cancellationToken: c), ct);
        return [.. list.Items
            .Where(n => n.Metadata.Labels?.ContainsKey(PlatformInfo.TenantLabel) == true && n.Metadata.DeletionTimestamp is null)
            .Select(ToTenantNetwork)
            .OrderBy(n => n.Tenant, StringComparer.Ordinal)];
    }

    static TenantNetworkInfo ToTenantNetwork(V1Namespace n) =>
        new(n.Metadata.Labels.Value(PlatformInfo.TenantLabel) ?? n.Metadata.Name, n.Metadata.Labels.Value(KubeObjects.EgressLabel) != "true", null);

    Task<V1Namespace?> FindNamespaceAsync(string ns, CancellationToken ct) =>
        kube.FindAsync($"GET namespace {ns}", (k, c) => k.CoreV1.ReadNamespaceAsync(ns, cancellationToken: c), ct);
}
