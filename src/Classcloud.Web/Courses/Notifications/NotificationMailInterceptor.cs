using System.Runtime.CompilerServices;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Classcloud.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>
/// Queues the mails of new notifications in the same save that stores them (issue 17): one mail per
/// notification for readers who chose "immediate", and an important notice to every member whatever
/// they chose. Done here rather than at each place that notifies, so no kind of notification is missed,
/// and in the same unit of work, so a notification and its mail are committed (or lost) together.
/// </summary>
internal sealed class NotificationMailInterceptor(IServiceProvider services, MailSignal signal, TimeProvider time) : SaveChangesInterceptor
{
    /// <summary>Notifications already looked at, so a save retried after a failure does not queue their mail twice.</summary>
    readonly ConditionalWeakTable<Notification, object> handled = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ClasscloudDb db)
        {
            await QueueAsync(db, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is ClasscloudDb db)
        {
            // A synchronous save has no async path to take; there is no synchronization context to deadlock on.
            QueueAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    async Task QueueAsync(ClasscloudDb db, CancellationToken ct)
    {
        var added = db.ChangeTracker.Entries<Notification>()
            .Where(e => e.State == EntityState.Added && !handled.TryGetValue(e.Entity, out _)).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return;
        }
        foreach (var n in added)
        {
            handled.AddOrUpdate(n, this);
        }
        var userIds = added.Select(n => n.UserId).Distinct().ToList();
        var readers = await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id) && u.Status == AccountStatus.Active && u.EmailConfirmed && u.Email != null)
            .Select(u => new
            {
                Reader = new MailReader(u.Id, u.Email!, u.Nickname, u.Role, u.Culture),
                Mail = db.NotificationSettings.Where(s => s.UserId == u.Id).Select(s => s.Mail).FirstOrDefault(),
            })
            .ToDictionaryAsync(x => x.Reader.Id, ct);
        if (readers.Count == 0)
        {
            return;
        }
        var noticeIds = added.Where(n => n.Kind == NotificationKind.NewNotice && n.PostId is not null).Select(n => n.PostId!.Value).Distinct().ToList();
        var important = await db.Posts.AsNoTracking()
            .Where(p => noticeIds.Contains(p.Id) && p.Important && p.Board == BoardKind.Notice)
            .Select(p => new { p.Id, p.Title, p.Body })
            .ToDictionaryAsync(p => p.Id, ct);
        var text = new NotificationMailText(
            services.GetRequiredService<IStringLocalizer<SharedResource>>(), ActivatorUtilities.CreateInstance<Links>(services));
        var notifications = new NotificationService(db, services.GetRequiredService<IStringLocalizer<SharedResource>>(), time);
        var mailer = new Mailer(db, signal, time);
        foreach (var n in added)
        {
            if (!readers.TryGetValue(n.UserId, out var reader))
            {
                continue;
            }
            if (n.PostId is { } postId && important.TryGetValue(postId, out var notice))
            {
                var (subject, body) = text.Important(reader.Reader, n.Subject, postId, notice.Title, notice.Body);
                mailer.Enqueue(reader.Reader.Email, subject, body);
            }
            else if ((reader.Mail ?? NotificationSetting.DefaultFor(reader.Reader.Role)) == NotificationMail.Immediate)
            {
                var (subject, body) = text.Immediate(reader.Reader, notifications.Describe(n));
                mailer.Enqueue(reader.Reader.Email, subject, body);
            }
        }
    }
}
