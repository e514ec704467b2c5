using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// Leader election on the database. A holder takes or renews a lease with one conditional UPDATE
/// ("set me as holder where it is mine or expired"), which both SQLite and PostgreSQL apply
/// atomically; the row count says who won. A missing row is inserted, and a racing insert loses
/// on the primary key.
/// </summary>
public sealed class LeaseStore(ClasscloudDb db, TimeProvider time)
{
    /// <summary>Takes or renews the lease for <paramref name="duration"/>; false when someone else holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + duration;
        var updated = await db.Leases
            .Where(l => l.Name == name && (l.HolderId == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.HolderId, holder).SetProperty(l => l.ExpiresAt, expires), ct);
        if (updated == 1)
        {
            return true;
        }
        if (await db.Leases.AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }
        db.Leases.Add(new Lease { Name = name, HolderId = holder, ExpiresAt = expires });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another holder inserted the row first.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Gives the lease up at once (on shutdown), so a follower need not wait for it to expire.</summary>
    public Task ReleaseAsync(string name, string holder, CancellationToken ct) =>
        db.Leases.Where(l => l.Name == name && l.HolderId == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UnixEpoch), ct);

    /// <summary>The current holder, or null when the lease is free.</summary>
    public async Task<string?> HolderAsync(string name, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Leases.Where(l => l.Name == name && l.ExpiresAt >= now).Select(l => l.HolderId).FirstOrDefaultAsync(ct);
    }
}
