using System.Collections.Frozen;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Projects.Domains;

/// <summary>
/// The verified custom domains, in memory: the apps gateway asks about the Host of every request, the platform's
/// own included, so that question must not cost a database query. A change made in this process is seen at once;
/// one made by another replica within <see cref="MaxAge"/>.
/// </summary>
public sealed class DomainIndex(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    readonly SemaphoreSlim loading = new(1, 1);
    FrozenDictionary<string, long> hosts = FrozenDictionary<string, long>.Empty;
    // Ticks of the last load, read and written atomically (requests read it while a load writes it); 0: never loaded.
    long loadedAt;
    // Bumped by Invalidate: a load that began before a change must not count as fresh after it.
    long version;

    /// <summary>The project a verified domain routes to, or null.</summary>
    public async ValueTask<long?> ProjectOfAsync(string host, CancellationToken ct)
    {
        if (Stale)
        {
            await ReloadAsync(ct);
        }
        return hosts.TryGetValue(host.TrimEnd('.').ToLowerInvariant(), out var id) ? id : null;
    }

    /// <summary>Read again at the next request (after a domain is verified or removed here).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref version);
        Interlocked.Exchange(ref loadedAt, 0);
    }

    bool Stale => time.GetUtcNow().UtcTicks - Interlocked.Read(ref loadedAt) > MaxAge.Ticks;

    async Task ReloadAsync(CancellationToken ct)
    {
        await loading.WaitAsync(ct);
        try
        {
            if (!Stale)
            {
                return; // another request loaded it while this one waited
            }
            var now = time.GetUtcNow().UtcTicks;
            var seen = Interlocked.Read(ref version);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            var verified = await db.ProjectDomains.AsNoTracking().Where(d => d.VerifiedAt != null).Select(d => new { d.Host, d.ProjectId }).ToListAsync(ct);
            hosts = verified.ToFrozenDictionary(d => d.Host, d => d.ProjectId, StringComparer.Ordinal);
            if (Interlocked.Read(ref version) == seen)
            {
                Interlocked.Exchange(ref loadedAt, now);
            }
        }
        finally
        {
            loading.Release();
        }
    }

    public void Dispose() => loading.Dispose();
}
