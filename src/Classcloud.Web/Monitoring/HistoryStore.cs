using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Monitoring;

/// <summary>A row of a history table.</summary>
public interface IHistorySample
{
    long Id { get; }

    DateTime SampledAt { get; }
}

/// <summary>
/// Keeps the history tables small: full resolution for <see cref="MonitoringOptions.FullResolution"/>,
/// then one row per <see cref="MonitoringOptions.ThinnedStep"/> up to <see cref="MonitoringOptions.Retention"/>,
/// nothing older, and never more than <see cref="MonitoringOptions.MaxHistoryRows"/> rows per table.
/// </summary>
public static class HistoryStore
{
    const int DeleteChunk = 500;

    /// <summary>Rows looked at per thinning run; a backlog larger than this is worked off over several runs.</summary>
    const int ThinBatch = 50_000;

    public static async Task PruneAsync(ClasscloudDb db, DateTime now, MonitoringOptions o, CancellationToken ct)
    {
        await PruneAsync(db.HostSamples, now, o, ct);
        await PruneAsync(db.RegistrySamples, now, o, ct);
    }

    static async Task PruneAsync<T>(DbSet<T> set, DateTime now, MonitoringOptions o, CancellationToken ct) where T : class, IHistorySample
    {
        var oldest = now - o.Retention;
        await set.Where(s => s.SampledAt < oldest).ExecuteDeleteAsync(ct);

        // Thin the middle band: keep the first row of every step.
        var fullFrom = now - o.FullResolution;
        var band = await set.AsNoTracking().Where(s => s.SampledAt >= oldest && s.SampledAt < fullFrom)
            .OrderBy(s => s.SampledAt).ThenBy(s => s.Id).Take(ThinBatch)
            .Select(s => new { s.Id, s.SampledAt }).ToListAsync(ct);
        var extra = band.GroupBy(s => s.SampledAt.Ticks / o.ThinnedStep.Ticks).SelectMany(g => g.Skip(1)).Select(s => s.Id).ToList();
        await DeleteAsync(set, extra, ct);

        var count = await set.CountAsync(ct);
        if (count > o.MaxHistoryRows)
        {
            var excess = await set.AsNoTracking().OrderBy(s => s.SampledAt).ThenBy(s => s.Id)
                .Take(count - o.MaxHistoryRows).Select(s => s.Id).ToListAsync(ct);
            await DeleteAsync(set, excess, ct);
        }
    }

    static async Task DeleteAsync<T>(DbSet<T> set, List<long> ids, CancellationToken ct) where T : class, IHistorySample
    {
        foreach (var chunk in ids.Chunk(DeleteChunk))
        {
            await set.Where(s => chunk.Contains(s.Id)).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>At most <paramref name="points"/> rows since <paramref name="from"/>, evenly spread (for charts).</summary>
    public static async Task<List<T>> RecentAsync<T>(IQueryable<T> set, DateTime from, int points, CancellationToken ct) where T : class, IHistorySample
    {
        var ids = await set.AsNoTracking().Where(s => s.SampledAt >= from).OrderBy(s => s.SampledAt).ThenBy(s => s.Id)
            .Select(s => s.Id).Take(100_000).ToListAsync(ct);
        var step = Math.Max(1, (ids.Count + points - 1) / Math.Max(1, points));
        var pick = ids.Where((_, i) => i % step == 0 || i == ids.Count - 1).ToList();
        var rows = new List<T>();
        foreach (var chunk in pick.Chunk(DeleteChunk))
        {
            rows.AddRange(await set.AsNoTracking().Where(s => chunk.Contains(s.Id)).ToListAsync(ct));
        }
        return rows.OrderBy(r => r.SampledAt).ThenBy(r => r.Id).ToList();
    }
}
