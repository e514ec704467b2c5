using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The few registry (Distribution API v2) calls the engine API lacks: deleting a pushed snapshot.
/// The registry must allow deletes (<c>storage.delete.enabled</c>); a missing manifest counts as deleted.
/// </summary>
public sealed class RegistryClient(HttpClient http, IOptions<WorkspacesOptions> options)
{
    static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    /// <summary>Deletes the manifest a reference's tag points at. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string reference, CancellationToken ct)
    {
        var (repository, tag) = Split(reference);
        using var head = new HttpRequestMessage(HttpMethod.Head, Url($"{repository}/manifests/{tag}"));
        foreach (var type in ManifestTypes)
        {
            head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var found = await http.SendAsync(head, ct);
        if (found.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        found.EnsureSuccessStatusCode();
        var digest = found.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (digest is null)
        {
            throw new HttpRequestException($"The registry named no digest for {reference}.");
        }
        using var deleted = await http.DeleteAsync(Url($"{repository}/manifests/{digest}"), ct);
        if (deleted.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        deleted.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>Whether the registry has the reference's tag.</summary>
    public async Task<bool> ExistsAsync(string reference, CancellationToken ct)
    {
        var (repository, tag) = Split(reference);
        using var head = new HttpRequestMessage(HttpMethod.Head, Url($"{repository}/manifests/{tag}"));
        foreach (var type in ManifestTypes)
        {
            head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }
        using var found = await http.SendAsync(head, ct);
        return found.IsSuccessStatusCode;
    }

    Uri Url(string path)
    {
        var o = options.Value;
        return new Uri($"{(o.RegistryInsecure ? "http" : "https")}://{o.Registry}/v2/{path}");
    }

    /// <summary>"host:port/repo/path:tag" → ("repo/path", "tag") without the registry host.</summary>
    (string Repository, string Tag) Split(string reference)
    {
        var registry = options.Value.Registry + "/";
        if (!reference.StartsWith(registry, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{reference} is not in the registry {options.Value.Registry}.", nameof(reference));
        }
        var rest = reference[registry.Length..];
        var colon = rest.LastIndexOf(':');
        return colon < 0 ? (rest, "latest") : (rest[..colon], rest[(colon + 1)..]);
    }
}
