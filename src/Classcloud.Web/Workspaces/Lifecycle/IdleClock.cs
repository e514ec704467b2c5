using Classcloud.Web.Data;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// How long a workspace has been idle and how long it may be (the installation's times, or its course's own) for
/// the <see cref="IdleWatcher"/>. Idle time comes from presence: this process's connections and what every
/// gateway wrote to <see cref="Workspace.LastSeenAt"/>.
/// </summary>
public sealed class IdleClock(IWorkspacePresence presence, IOptions<WorkspacesOptions> options, TimeProvider time)
{
    readonly DateTimeOffset started = time.GetUtcNow();

    public TimeSpan Interval => options.Value.IdleCheckInterval;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The watcher's tick, on this clock's time provider (a fake one in tests).</summary>
    public PeriodicTimer NewTimer() => new(Interval, time);

    /// <summary>Idle since the last connection seen anywhere; never seen connected: since the later of its last state change and this process's start (the gateways' first heartbeat may still be on its way).</summary>
    public TimeSpan IdleFor(Workspace w, DateTimeOffset now)
    {
        var changed = Utc(w.UpdatedAt);
        var since = Latest(presence.LastSeen(w.Id), w.LastSeenAt is { } seen ? Utc(seen) : null) ?? (changed > started ? changed : started);
        return now - since;
    }

    /// <summary>The workspace's suspend and stop times: its course's (from <see cref="LimitsAsync"/>), else the installation's.</summary>
    public (TimeSpan Suspend, TimeSpan Stop) LimitsOf(Workspace w, Dictionary<long, (TimeSpan Suspend, TimeSpan Stop)> limits) =>
        w.CourseId is { } course && limits.TryGetValue(course, out var own) ? own : (options.Value.IdleSuspendAfter, options.Value.IdleStopAfter);

    /// <summary>The idle times of the courses the live workspaces belong to, each override falling back to the installation's.</summary>
    public async Task<Dictionary<long, (TimeSpan Suspend, TimeSpan Stop)>> LimitsAsync(ClasscloudDb db, List<Workspace> live, CancellationToken ct)
    {
        var ids = live.Where(w => w.CourseId is not null).Select(w => w.CourseId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var o = options.Value;
        var rows = await db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id) && (c.IdleSuspendMinutes != null || c.IdleStopMinutes != null))
            .Select(c => new { c.Id, c.IdleSuspendMinutes, c.IdleStopMinutes }).ToListAsync(ct);
        return rows.ToDictionary(c => c.Id, c => (
            c.IdleSuspendMinutes is { } s ? TimeSpan.FromMinutes(s) : o.IdleSuspendAfter,
            c.IdleStopMinutes is { } p ? TimeSpan.FromMinutes(p) : o.IdleStopAfter));
    }

    static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
