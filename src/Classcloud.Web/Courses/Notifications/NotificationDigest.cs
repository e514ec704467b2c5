using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Classcloud.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Classcloud:Notifications: when the daily digest goes out.</summary>
public sealed class NotificationMailOptions
{
    public const string Section = "Classcloud:Notifications";

    /// <summary>Time of day (UTC) from which each day's digest is due; 22:00 UTC is 07:00 in Korea.</summary>
    public TimeSpan DigestTimeUtc { get; set; } = TimeSpan.FromHours(22);

    /// <summary>How often the controller looks for digests that are due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Off: the controller sends no digests (immediate and important mails still go out).</summary>
    public bool DigestEnabled { get; set; } = true;
}

/// <summary>
/// The daily digest (issue 17): once per day, each person whose setting is "daily" (educators and
/// administrators by default) gets one mail listing their unread notifications made between their
/// last digest's moment and today's (a person's first digest looks back one day). What happens after
/// today's moment waits for tomorrow's. Nobody with nothing unread is mailed.
/// </summary>
public sealed class NotificationDigest(IServiceScopeFactory scopes, IOptions<NotificationMailOptions> options, TimeProvider time)
{
    /// <summary>At most this many lines in one mail; the rest are counted.</summary>
    const int MaxItems = 50;

    /// <summary>The latest moment at or before now at which a day's digest became due.</summary>
    public DateTime Slot(DateTime now)
    {
        var today = now.Date + options.Value.DigestTimeUtc;
        return today <= now ? today : today.AddDays(-1);
    }

    /// <summary>Sends every digest due now; returns how many were queued.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var slot = Slot(now);
        var firstSince = slot.AddDays(-1);  // someone's first digest covers the day before it
        var sent = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            var due = await db.Users.AsNoTracking()
                .Where(u => u.Status == AccountStatus.Active && u.EmailConfirmed && u.Email != null)
                .Select(u => new
                {
                    u.Id,
                    u.Role,
                    Mail = db.NotificationSettings.Where(s => s.UserId == u.Id).Select(s => s.Mail).FirstOrDefault(),
                    Last = db.NotificationSettings.Where(s => s.UserId == u.Id).Select(s => s.LastDigestAt).FirstOrDefault(),
                })
                .Where(x => x.Mail == NotificationMail.Daily || (x.Mail == null && x.Role != AccountRole.Student))
                .Where(x => x.Last == null || x.Last < slot)
                .Where(x => db.Notifications.Any(n => n.UserId == x.Id && n.ReadAt == null && n.CreatedAt > (x.Last ?? firstSince) && n.CreatedAt <= slot))
                .OrderBy(x => x.Id).Select(x => new { x.Id, x.Last }).Take(100).ToListAsync(ct);
            if (due.Count == 0)
            {
                return sent;
            }
            foreach (var user in due)
            {
                sent += await SendOneAsync(scope.ServiceProvider, user.Id, user.Last ?? firstSince, slot, ct) ? 1 : 0;
            }
        }
    }

    /// <summary>Records the digest and queues its mail in one transaction, so a crash neither loses nor repeats it.</summary>
    static async Task<bool> SendOneAsync(IServiceProvider services, long userId, DateTime since, DateTime slot, CancellationToken ct)
    {
        var db = services.GetRequiredService<ClasscloudDb>();
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var setting = await db.NotificationSettings.SingleOrDefaultAsync(s => s.UserId == userId, ct);
        if (setting is null)
        {
            db.NotificationSettings.Add(new NotificationSetting { UserId = userId, LastDigestAt = slot });
        }
        else
        {
            setting.LastDigestAt = slot;
        }
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new MailReader(u.Id, u.Email!, u.Nickname, u.Role, u.Culture)).SingleAsync(ct);
        var t = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var notifications = new NotificationService(db, t, services.GetRequiredService<TimeProvider>());
        // Only what the reader may still see: a notice hidden since, or a course left, stays out of the mail.
        var unread = notifications.Visible(new Caller(userId, user.Role == AccountRole.Admin))
            .Where(n => n.ReadAt == null && n.CreatedAt > since && n.CreatedAt <= slot);
        var total = await unread.CountAsync(ct);
        var rows = await unread.OrderBy(n => n.Id).Take(MaxItems).ToListAsync(ct);
        if (rows.Count > 0)
        {
            var text = new NotificationMailText(t, services.GetRequiredService<Links>());
            var (subject, body) = text.Digest(user, rows.Select(notifications.Describe).ToList(), total - rows.Count);
            services.GetRequiredService<Mailer>().Enqueue(user.Email, subject, body);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count > 0;
    }
}

/// <summary>Runs the digest on the controller role.</summary>
internal sealed class NotificationDigestService(
    NotificationDigest digest, IOptions<NotificationMailOptions> options, TimeProvider time, ILogger<NotificationDigestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DigestEnabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await digest.SendDueAsync(stoppingToken);
                if (sent > 0)
                {
                    logger.LogInformation("Queued {Count} notification digests", sent);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Notification digest pass failed; retrying later");
            }
            await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
        }
    }
}
