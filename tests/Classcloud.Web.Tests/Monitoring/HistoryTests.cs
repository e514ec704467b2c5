using Classcloud.Web.Data;
using Classcloud.Web.Monitoring;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>The host history: kept in full for a day, thinned to one row per hour up to the retention, capped; served bounded.</summary>
public abstract class HistoryTests(ClasscloudHost host)
{
    static HostSample Sample(DateTime at) => new() { SampledAt = at, CpuPercent = 5, MemoryUsedBytes = 1, MemoryTotalBytes = 2, DiskUsedBytes = 1, DiskTotalBytes = 2, EngineUp = true, Containers = 3 };

    [Fact]
    public async Task Pruning_keeps_recent_rows_thins_older_ones_drops_the_oldest_and_caps_the_table()
    {
        // A clock of our own far ahead, so other tests' rows in this database are all "recent" to it only if we say so.
        var clock = new FakeTimeProvider();
        clock.Advance(TimeSpan.FromDays(3650));
        var exact = clock.GetUtcNow().UtcDateTime;
        var now = new DateTime(exact.Ticks - exact.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc); // PostgreSQL keeps microseconds only
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var recent = Enumerable.Range(1, 10).Select(i => now.AddMinutes(-i)).ToList();
        var twoDaysAgo = Enumerable.Range(0, 6).Select(i => hour.AddDays(-2).AddMinutes(5 + i * 5)).ToList();   // one hour bucket
        var threeDaysAgo = Enumerable.Range(0, 4).Select(i => hour.AddDays(-3).AddMinutes(1 + i * 10)).ToList(); // another
        var tooOld = Enumerable.Range(0, 3).Select(i => now.AddDays(-8).AddMinutes(i)).ToList();
        await host.WithDbAsync(db =>
        {
            db.HostSamples.AddRange(recent.Concat(twoDaysAgo).Concat(threeDaysAgo).Concat(tooOld).Select(Sample));
            return db.SaveChangesAsync();
        });
        var options = new MonitoringOptions();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await HistoryStore.PruneAsync(scope.ServiceProvider.GetRequiredService<ClasscloudDb>(), now, options, CancellationToken.None);
        }

        var future = now.AddDays(-9);
        var left = await host.WithDbAsync(db => db.HostSamples.AsNoTracking().Where(s => s.SampledAt > future).OrderBy(s => s.SampledAt).Select(s => s.SampledAt).ToListAsync());
        Assert.Equal([threeDaysAgo[0], twoDaysAgo[0], .. recent.OrderBy(t => t)], left);

        // The cap: keep the newest MaxHistoryRows rows, whatever their age.
        var capped = new MonitoringOptions { MaxHistoryRows = 10 };
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await HistoryStore.PruneAsync(scope.ServiceProvider.GetRequiredService<ClasscloudDb>(), now, capped, CancellationToken.None);
        }
        var total = await host.WithDbAsync(db => db.HostSamples.CountAsync());
        Assert.Equal(10, total);
        Assert.Equal(recent.OrderBy(t => t), await host.WithDbAsync(db => db.HostSamples.AsNoTracking().OrderBy(s => s.SampledAt).Select(s => s.SampledAt).ToListAsync()));
    }

    [Fact]
    public async Task Chart_points_are_spread_over_the_period_and_bounded()
    {
        var from = DateTime.UnixEpoch.AddYears(30);
        var rows = Enumerable.Range(0, 1000).Select(i => Sample(from.AddMinutes(i))).ToList();
        await host.WithDbAsync(db =>
        {
            db.HostSamples.AddRange(rows);
            return db.SaveChangesAsync();
        });
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var points = await HistoryStore.RecentAsync(db.HostSamples.Where(s => s.SampledAt < from.AddMinutes(1000)), from, 300, CancellationToken.None);
        Assert.InRange(points.Count, 200, 301);
        Assert.Equal(from, points[0].SampledAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(from.AddMinutes(999), points[^1].SampledAt, TimeSpan.FromMilliseconds(1));
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First.SampledAt < p.Second.SampledAt));
    }
}

public sealed class SqliteHistoryTests(SqliteHost host) : HistoryTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresHistoryTests(PostgresHost host) : HistoryTests(host), IClassFixture<PostgresHost>;
