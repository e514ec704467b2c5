using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Classcloud.Web.Mail;

/// <summary>
/// Sends the outbox: claims due mails one at a time (a conditional update, so two replicas never
/// send the same one), retries with exponential backoff, gives up after MaxAttempts. Once a mail is
/// sent or given up its text is removed (it may hold a reset or confirmation link), and rows older
/// than Classcloud:Mail:Retention are deleted.
/// </summary>
internal sealed class MailSender(
    IServiceScopeFactory scopes, MailSignal signal, IOptions<MailOptions> options,
    IOptions<ClasscloudOptions> classcloud, TimeProvider time, ILogger<MailSender> logger) : BackgroundService
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendNextAsync(stoppingToken))
                {
                }
                await PurgeAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Mail outbox pass failed; retrying later");
            }
            await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>Sends one due mail; false when none is due.</summary>
    internal async Task<bool> SendNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = await db.Mail.AsNoTracking()
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(5).ToListAsync(ct);
        foreach (var id in candidates)
        {
            var claimed = await db.Mail
                .Where(m => m.Id == id && m.SentAt == null && (m.LockedUntil == null || m.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, now + Lease), ct);
            if (claimed == 1)
            {
                await SendAsync(db, id, ct);
                return true;
            }
        }
        return false;
    }

    /// <summary>Deletes sent and failed mails older than the retention; waiting mail is never deleted.</summary>
    internal async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var before = time.GetUtcNow().UtcDateTime - options.Value.Retention;
        return await db.Mail.Where(m => (m.SentAt != null && m.SentAt < before) || (m.FailedAt != null && m.FailedAt < before))
            .ExecuteDeleteAsync(ct);
    }

    async Task SendAsync(ClasscloudDb db, long id, CancellationToken ct)
    {
        var mail = await db.Mail.SingleAsync(m => m.Id == id, ct);
        var o = options.Value;
        try
        {
            using var message = new MimeMessage();
            message.From.Add(MailboxAddress.TryParse(o.From, out var from) ? from : new MailboxAddress("Classcloud", "no-reply@classcloud.local"));
            message.To.Add(MailboxAddress.Parse(mail.To));
            message.Subject = mail.Subject;
            message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = mail.Body };
            // The same id on every attempt, so a mail sent twice (a crash between sending and recording it)
            // is one message to the reader; it also ties a delivered mail to its (emptied) outbox row.
            message.MessageId = OutboxMail.MessageIdOf(mail, message.From.Mailboxes.FirstOrDefault()?.Domain);
            await Transport(o).SendAsync(message, ct);
            mail.SentAt = time.GetUtcNow().UtcDateTime;
            mail.LastError = null;
            mail.Body = OutboxMail.Removed;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Any failure (refused, unreachable, bad certificate, bad address) is retried with
            // backoff and recorded; only shutdown leaves the mail to the next lease.
            mail.Attempts++;
            mail.LastError = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
            var delay = TimeSpan.FromTicks(Math.Min(o.RetryDelay.Ticks * (1L << Math.Min(mail.Attempts - 1, 20)), TimeSpan.FromHours(1).Ticks));
            mail.NextAttemptAt = time.GetUtcNow().UtcDateTime + delay;
            if (mail.Attempts >= o.MaxAttempts)
            {
                mail.FailedAt = time.GetUtcNow().UtcDateTime;
                mail.Body = OutboxMail.Removed;  // a link nobody received is still a credential
            }
            logger.LogWarning("Mail {Id} to {To} failed (attempt {Attempt}): {Error}", mail.Id, mail.To, mail.Attempts, ex.Message);
        }
        mail.LockedUntil = null;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    IMailTransport Transport(MailOptions o)
    {
        if (o.Mode == MailMode.Smtp)
        {
            return new SmtpTransport(o);
        }
        var folder = string.IsNullOrWhiteSpace(o.PickupDirectory)
            ? Path.Combine(classcloud.Value.FullDataDirectory, "mail")
            : Path.GetFullPath(o.PickupDirectory);
        return new PickupTransport(folder);
    }
}
