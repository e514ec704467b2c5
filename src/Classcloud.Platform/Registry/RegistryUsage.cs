using System.Text.Json;

namespace Classcloud.Platform.Registry;

/// <summary>One repository's share of the registry.</summary>
/// <param name="Name">Repository name.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Bytes">Its blobs (layers and configs), each counted once within the repository.</param>
public sealed record RepositoryUsage(string Name, int Tags, long Bytes);

/// <summary>What the registry holds.</summary>
/// <param name="Repositories">Repositories in the catalog.</param>
/// <param name="Tags">Tags over all repositories.</param>
/// <param name="Bytes">Blobs over all repositories, each unique digest counted once (the registry stores it once).</param>
/// <param name="Truncated">The limits stopped the count early; the figures are lower bounds.</param>
/// <param name="PerRepository">The repositories counted, largest first.</param>
public sealed record RegistryUsage(int Repositories, int Tags, long Bytes, bool Truncated, IReadOnlyList<RepositoryUsage> PerRepository);

/// <summary>Bounds on one usage count, so a huge registry costs a bounded number of requests.</summary>
/// <param name="MaxRepositories">Repositories read from the catalog.</param>
/// <param name="MaxTagsPerRepository">Tags read per repository.</param>
/// <param name="MaxManifests">Manifests fetched in all.</param>
public sealed record RegistryUsageLimits(int MaxRepositories = 1000, int MaxTagsPerRepository = 200, int MaxManifests = 5000);

public sealed partial class RegistryClient
{
    /// <summary>Counts repositories, tags and bytes (manifest → layer and config sizes; indexes followed one level).</summary>
    public async Task<RegistryUsage> UsageAsync(RegistryUsageLimits limits, CancellationToken ct)
    {
        var repositories = await CatalogAsync(limits.MaxRepositories + 1, ct);
        var truncated = repositories.Count > limits.MaxRepositories;
        var blobs = new Dictionary<string, long>(StringComparer.Ordinal);
        var perRepository = new List<RepositoryUsage>();
        var manifests = 0;
        var tagTotal = 0;
        foreach (var repository in repositories.Take(limits.MaxRepositories))
        {
            var tags = await TagsAsync(repository, limits.MaxTagsPerRepository + 1, ct);
            truncated |= tags.Count > limits.MaxTagsPerRepository;
            var own = new Dictionary<string, long>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in tags.Take(limits.MaxTagsPerRepository))
            {
                if (manifests >= limits.MaxManifests)
                {
                    truncated = true;
                    break;
                }
                manifests += await AddManifestAsync(repository, tag, own, seen, limits.MaxManifests - manifests, ct);
            }
            tagTotal += tags.Count > limits.MaxTagsPerRepository ? limits.MaxTagsPerRepository : tags.Count;
            foreach (var (digest, size) in own)
            {
                blobs[digest] = size;
            }
            perRepository.Add(new RepositoryUsage(repository, Math.Min(tags.Count, limits.MaxTagsPerRepository), own.Values.Sum()));
        }
        return new RegistryUsage(Math.Min(repositories.Count, limits.MaxRepositories), tagTotal, blobs.Values.Sum(), truncated,
            perRepository.OrderByDescending(r => r.Bytes).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>Adds a manifest's blobs (an index's children's too); returns the manifests fetched.</summary>
    async Task<int> AddManifestAsync(string repository, string reference, Dictionary<string, long> blobs, HashSet<string> seen, int budget, CancellationToken ct)
    {
        if (budget <= 0)
        {
            return 0;
        }
        JsonDocument manifest;
        string digest;
        try
        {
            (digest, manifest) = await ManifestAsync(repository, reference, ct);
        }
        catch (PlatformNotFoundException)
        {
            return 1; // deleted between the tag list and now
        }
        using (manifest)
        {
            if (!seen.Add(digest))
            {
                return 1;
            }
            var root = manifest.RootElement;
            var fetched = 1;
            if (root.TryGetProperty("manifests", out var children) && children.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in children.EnumerateArray())
                {
                    if (child.TryGetProperty("digest", out var d) && d.GetString() is { } childDigest)
                    {
                        fetched += await AddManifestAsync(repository, childDigest, blobs, seen, budget - fetched, ct);
                    }
                }
                return fetched;
            }
            AddBlob(root, "config", blobs);
            if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
            {
                foreach (var layer in layers.EnumerateArray())
                {
                    AddBlob(layer, null, blobs);
                }
            }
            return fetched;
        }
    }

    static void AddBlob(JsonElement element, string? property, Dictionary<string, long> blobs)
    {
        if (property is not null && !element.TryGetProperty(property, out element))
        {
            return;
        }
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("digest", out var d) && d.GetString() is { } digest
            && element.TryGetProperty("size", out var s) && s.TryGetInt64(out var size))
        {
            blobs[digest] = size;
        }
    }
}
