using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// The claim on a <see cref="Workload"/> row that makes one caller at a time its owner, across processes: taken
/// with one conditional UPDATE ("mine where nobody's, or the holder's claim ran out"), as <see cref="LeaseStore"/>
/// takes a lease, and given back when the caller is done. A process that dies mid-way leaves a claim that
/// expires after <see cref="Lifetime"/>.
/// </summary>
public sealed class WorkloadClaims(ClasscloudDb db, TimeProvider time)
{
    /// <summary>How long a claim lasts if its holder never gives it back; longer than any one convergence.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>How long a caller waits for another holder before giving up.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Takes the claim if it is free; null when someone else holds it or there is no such row.</summary>
    public async Task<Claim?> TryAsync(string id, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + Lifetime;
        var taken = await db.Workloads.Where(w => w.Id == id && (w.ClaimedBy == null || w.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ClaimedBy, token).SetProperty(w => w.ClaimedUntil, until), ct);
        if (taken == 0)
        {
            return null;
        }
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            return null;
        }
        // A row tracked before the claim holds stale values (another process may have written it).
        await db.Entry(row).ReloadAsync(ct);
        return new Claim(this, row, token);
    }

    /// <summary>Takes the claim, waiting while someone else holds it; null when there is no such row.</summary>
    public async Task<Claim?> WaitAsync(string id, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + WaitLimit;
        while (true)
        {
            if (await TryAsync(id, ct) is { } claim)
            {
                return claim;
            }
            if (!await db.Workloads.AnyAsync(w => w.Id == id, ct))
            {
                return null;
            }
            if (time.GetUtcNow() > deadline)
            {
                throw new PlatformConflictException($"Workload {id} is busy with another action; try again in a moment.");
            }
            await Task.Delay(PollInterval, time, ct);
        }
    }

    async Task ReleaseAsync(string id, string token)
    {
        // Not the caller's token: a cancelled request still gives the claim back.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await db.Workloads.Where(w => w.Id == id && w.ClaimedBy == token)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ClaimedBy, (string?)null).SetProperty(w => w.ClaimedUntil, (DateTime?)null), timeout.Token);
    }

    /// <summary>A held claim on <see cref="Row"/> (tracked by the context that claimed it); disposing gives it back.</summary>
    public sealed class Claim(WorkloadClaims owner, Workload row, string token) : IAsyncDisposable
    {
        public Workload Row { get; } = row;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await owner.ReleaseAsync(Row.Id, token);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or OperationCanceledException or InvalidOperationException)
            {
                // It then expires after Lifetime.
            }
        }
    }
}
