using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// One reconciliation pass: compares the Workloads rows with what the engine runs under this installation's
/// labels and closes the gap, one workload at a time through <see cref="WorkloadConvergence"/> under the row's
/// claim. A workload someone else is converging right now (a person's start, the console, another process) is
/// skipped; the next pass looks again. Containers with no row are orphans and go.
/// </summary>
public sealed class Reconciler(
    ClasscloudDb db, IContainerPlatform platform, WorkloadClaims claims, WorkloadConvergence convergence, IOptions<ControllerOptions> options,
    ILogger<Reconciler> log)
{
    /// <summary>Rows handled per pass, so one pass stays bounded.</summary>
    public const int MaxWorkloadsPerPass = 10_000;

    public async Task ReconcileAsync(CancellationToken ct)
    {
        var ids = await db.Workloads.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).Take(MaxWorkloadsPerPass).ToListAsync(ct);
        var actual = (await platform.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = options.Value.Scope }, ct))
            .ToDictionary(s => s.Id.Value, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            actual.Remove(id, out var status);
            await using var claim = await claims.TryAsync(id, ct);
            if (claim is null)
            {
                continue; // being converged by someone else right now, or gone since the list was read
            }
            try
            {
                // What was listed may be older than the claim: a holder that just finished changed it.
                await convergence.ConvergeAsync(claim.Row, await platform.GetAsync(new WorkloadId(id), ct), ct);
            }
            catch (Exception ex) when (ex is PlatformException or ArgumentException or System.Text.Json.JsonException
                or System.Security.Cryptography.CryptographicException or PlatformNotSupportedException)
            {
                // Recorded on the row; the next pass tries again.
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear(); // the row went while it was converged (deleted directly): nothing to keep
            }
            db.ChangeTracker.Clear();
        }
        foreach (var orphan in actual.Values)
        {
            // Ours by label, but no row wants it (deleted while the controller was away). Asked per
            // orphan, so a row beyond this pass's limit (or added since the read) is never mistaken for one.
            if (await db.Workloads.AnyAsync(w => w.Id == orphan.Id.Value, ct))
            {
                continue;
            }
            log.LogInformation("Removing orphan workload {Workload}", orphan.Id);
            try
            {
                await platform.RemoveAsync(orphan.Id, ct);
            }
            catch (PlatformException ex)
            {
                log.LogWarning(ex, "Removing orphan workload {Workload} failed", orphan.Id);
            }
        }
    }
}
