using System.Diagnostics;
using Classcloud.Web.Orchestration;

namespace Classcloud.Web.Admin.Quotas;

/// <summary>
/// One quota decision at a time per owner (issue 16). A start is checked against the quota and then written as
/// starting; two starts of one person arriving together (a double click, two tabs, a script, or two processes)
/// would both pass the check before either write. Holding a database lease named after the owner around check and
/// write makes them pass one after the other, across processes. The lease lasts a few seconds so a holder that dies
/// does not block the owner for long; a finished decision gives it up at once.
/// </summary>
public sealed class QuotaHolds(IServiceScopeFactory scopes)
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(15);

    /// <summary>The owner's hold, or null when it could not be had within the lease time (the caller answers "busy").</summary>
    public async Task<IAsyncDisposable?> HoldAsync(long ownerId, CancellationToken ct)
    {
        // Its own scope: the lease's insert race clears its context's change tracker, which must not touch the caller's.
        var scope = scopes.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<LeaseStore>();
        var name = $"quota:{ownerId}";
        var holder = Guid.NewGuid().ToString("N");
        var waited = Stopwatch.StartNew();
        try
        {
            // Bounded: a dead holder's lease expires within Lease, and a live one holds it for milliseconds.
            while (!await leases.TryAcquireAsync(name, holder, Lease, ct))
            {
                if (waited.Elapsed > Lease + Lease)
                {
                    await scope.DisposeAsync();
                    return null;
                }
                await Task.Delay(Retry, ct);
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
        return new Hold(scope, leases, name, holder);
    }

    sealed class Hold(AsyncServiceScope scope, LeaseStore leases, string name, string holder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await leases.ReleaseAsync(name, holder, CancellationToken.None);
            }
            finally
            {
                await scope.DisposeAsync();
            }
        }
    }
}
