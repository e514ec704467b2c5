using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Classcloud.Web.Lti;

/// <summary>
/// The platforms' public keys, fetched from each key set URL and kept for an hour. A token signed with a key id the
/// cached set lacks fetches the set again (platforms rotate keys), at most once a minute per URL, so a stream of
/// forged key ids cannot turn Classcloud into a fetcher of the platform's URL.
/// </summary>
public sealed class LtiKeySets(IHttpClientFactory clients, TimeProvider time, ILogger<LtiKeySets> log)
{
    public const string Client = "lti";
    static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    static readonly TimeSpan MinRefetch = TimeSpan.FromMinutes(1);
    const int MaxBytes = 256 * 1024;

    sealed record Entry(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);

    /// <summary>The keys that may have signed a token with this key id (all keys when the token names none); empty when unreachable.</summary>
    public async Task<IReadOnlyList<SecurityKey>> KeysForAsync(string url, string? keyId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        cache.TryGetValue(url, out var entry);
        var stale = entry is null || now - entry.FetchedAt > Keep;
        var unknownKid = entry is not null && keyId is not null && !entry.Keys.Any(k => k.KeyId == keyId);
        if (stale || (unknownKid && now - entry!.FetchedAt > MinRefetch))
        {
            entry = await FetchAsync(url, ct) is { } keys ? cache[url] = new Entry(keys, now) : entry;
        }
        var all = entry?.Keys ?? [];
        return keyId is null ? all : all.Where(k => k.KeyId == keyId).ToList();
    }

    async Task<IReadOnlyList<SecurityKey>?> FetchAsync(string url, CancellationToken ct)
    {
        try
        {
            using var client = clients.CreateClient(Client);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw new InvalidOperationException($"the key set is larger than {MaxBytes} bytes");
            }
            var json = await response.Content.ReadAsStringAsync(ct);
            // Encryption keys in the set are not ours to check signatures with.
            return new JsonWebKeySet(json).Keys.Where(k => k.Use is null or "sig").Cast<SecurityKey>().ToList();
        }
        // Whatever the platform answered (unreachable, an error status, not a key set), the launch is refused, not crashed.
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning("LTI key set {Url} could not be read: {Reason}", url, ex.Message);
            return null;
        }
    }
}
