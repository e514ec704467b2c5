using System.Globalization;
using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Monitoring;

public static class AlertKinds
{
    public const string CrashLoop = "crash-loop";
    public const string Oom = "oom";
    public const string HostMemory = "host-memory";
    public const string HostDisk = "host-disk";
    public const string EngineUnreachable = "engine-unreachable";
    public const string RegistryUnreachable = "registry-unreachable";
}

/// <summary>A condition the sampler checked: while <see cref="Active"/>, one open incident of Kind + Subject exists.</summary>
public sealed record AlertCondition(string Kind, string Subject, bool Active, string Message, string? WorkloadId = null);

public sealed record AlertDto(
    long Id, string Kind, string Subject, string? WorkloadId, string Message, DateTime CreatedAt,
    DateTime? ResolvedAt, DateTime? AcknowledgedAt, long? AcknowledgedById, DateTime? MailedAt)
{
    public static AlertDto From(Alert a) => new(a.Id, a.Kind, a.Subject ?? a.WorkloadId ?? "", a.WorkloadId, a.Message,
        a.CreatedAt, a.ResolvedAt, a.AcknowledgedAt, a.AcknowledgedById, a.MailedAt);
}

/// <summary>
/// Alert incidents: raised once while a condition holds, resolved when it clears (a later occurrence
/// is a new incident), mailed once to every administrator, acknowledged by an administrator.
/// </summary>
public sealed class AlertService(ClasscloudDb db, Mailer mailer, Links links, AuditLog audit, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    public static readonly string[] Filters = ["open", "resolved", "acknowledged", "unacknowledged"];

    /// <summary>Raises or resolves the incident of one condition (not saved: the caller saves the pass at once).</summary>
    public async Task SyncAsync(AlertCondition condition, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var open = await db.Alerts.Where(a => a.Kind == condition.Kind && a.Subject == condition.Subject && a.ResolvedAt == null).ToListAsync(ct);
        open.AddRange(db.Alerts.Local.Where(a => a.Id == 0 && a.Kind == condition.Kind && a.Subject == condition.Subject && a.ResolvedAt is null));
        if (condition.Active && open.Count == 0)
        {
            db.Alerts.Add(new Alert
            {
                Kind = condition.Kind,
                Subject = condition.Subject,
                WorkloadId = condition.WorkloadId,
                Message = condition.Message.Length <= 2000 ? condition.Message : condition.Message[..2000],
                CreatedAt = now,
            });
        }
        else if (!condition.Active)
        {
            foreach (var alert in open)
            {
                alert.ResolvedAt = now;
            }
        }
    }

    /// <summary>Open incidents of a kind, by subject (so the sampler can resolve those whose subject vanished).</summary>
    public async Task<List<string>> OpenSubjectsAsync(string kind, CancellationToken ct) =>
        await db.Alerts.Where(a => a.Kind == kind && a.ResolvedAt == null && a.Subject != null).Select(a => a.Subject!).Distinct().ToListAsync(ct);

    /// <summary>
    /// Crash-loop incidents come from the reconciler (Subject unset): they end when the reconciler
    /// forgave the workload (it ran a whole window) or the workload is gone.
    /// </summary>
    public async Task ResolveCrashLoopsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var open = await db.Alerts.Where(a => a.Kind == AlertKinds.CrashLoop && a.ResolvedAt == null).OrderBy(a => a.Id).Take(1000).ToListAsync(ct);
        foreach (var alert in open)
        {
            alert.Subject ??= alert.WorkloadId;
            var looping = alert.WorkloadId is { } id && await db.Workloads.AnyAsync(w => w.Id == id && w.CrashLoop, ct);
            if (!looping)
            {
                alert.ResolvedAt = now;
            }
        }
    }

    /// <summary>Queues one mail per administrator for every incident not mailed yet (same unit of work as the mark).</summary>
    public async Task MailNewAsync(CancellationToken ct)
    {
        var fresh = await db.Alerts.Where(a => a.MailedAt == null).OrderBy(a => a.Id).Take(100).ToListAsync(ct);
        fresh.AddRange(db.Alerts.Local.Where(a => a.Id == 0 && a.MailedAt is null));
        if (fresh.Count == 0)
        {
            return;
        }
        var admins = await db.Users.AsNoTracking()
            .Where(u => u.Role == AccountRole.Admin && u.Status == AccountStatus.Active && u.EmailConfirmed && u.Email != null)
            .OrderBy(u => u.Id).Select(u => new { u.Email, u.Nickname, u.Culture }).Take(200).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var alert in fresh.Distinct())
        {
            foreach (var admin in admins)
            {
                Mail(admin.Email!, admin.Nickname, admin.Culture, alert);
            }
            alert.MailedAt = now;
        }
    }

    void Mail(string to, string nickname, string? culture, Alert alert)
    {
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            if (culture is { Length: > 0 })
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            }
            mailer.Enqueue(to, t["Classcloud alert: {0}", KindName(t, alert.Kind)],
                t["Hello {0},\n\nClasscloud raised an alert at {1:u}:\n\n{2}\n\nSee and acknowledge it at {3}\nYou get one mail per incident; it resolves by itself when the condition clears.",
                    nickname, alert.CreatedAt, alert.Message, links.To("/admin/alerts")]);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    public static string KindName(IStringLocalizer t, string kind) => kind switch
    {
        AlertKinds.CrashLoop => t["Crash loop"],
        AlertKinds.Oom => t["Out of memory"],
        AlertKinds.HostMemory => t["Host memory"],
        AlertKinds.HostDisk => t["Host disk"],
        AlertKinds.EngineUnreachable => t["Engine unreachable"],
        AlertKinds.RegistryUnreachable => t["Registry unreachable"],
        _ => kind,
    };

    public async Task<Outcome<Paged<AlertDto>>> ListAsync(string? status, int? page, int? pageSize, int maxPageSize, CancellationToken ct)
    {
        if (status is { Length: > 0 } && !Filters.Contains(status, StringComparer.Ordinal))
        {
            return Problem.BadRequest("The status filter must be one of: {0}.", string.Join(", ", Filters));
        }
        var (p, size) = Paging.Clamp(page, pageSize, maxPageSize);
        var query = status switch
        {
            "open" => db.Alerts.Where(a => a.ResolvedAt == null),
            "resolved" => db.Alerts.Where(a => a.ResolvedAt != null),
            "acknowledged" => db.Alerts.Where(a => a.AcknowledgedAt != null),
            "unacknowledged" => db.Alerts.Where(a => a.AcknowledgedAt == null),
            _ => db.Alerts,
        };
        var total = await query.CountAsync(ct);
        var items = await query.AsNoTracking().OrderByDescending(a => a.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<AlertDto>(items.Select(AlertDto.From).ToList(), p, size, total);
    }

    public Task<int> UnacknowledgedCountAsync(CancellationToken ct) => db.Alerts.CountAsync(a => a.AcknowledgedAt == null, ct);

    /// <summary>Marks an alert as seen; acknowledging twice keeps the first time. Audited.</summary>
    public async Task<Outcome<AlertDto>> AcknowledgeAsync(long id, long userId, CancellationToken ct)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return Problem.NotFound("There is no alert {0}.", id);
        }
        if (alert.AcknowledgedAt is null)
        {
            alert.AcknowledgedAt = time.GetUtcNow().UtcDateTime;
            alert.AcknowledgedById = userId;
            audit.Record("alert.acknowledge", $"alert:{alert.Id}", $"{alert.Kind} {alert.Subject ?? alert.WorkloadId}");
            await db.SaveChangesAsync(ct);
        }
        return AlertDto.From(alert);
    }
}
