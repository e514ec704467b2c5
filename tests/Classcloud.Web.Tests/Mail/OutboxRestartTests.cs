using Classcloud.Web.Mail;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Mail;

/// <summary>The outbox is the database: a mail queued by one process is sent by the next one on the same data.</summary>
public sealed class OutboxRestartTests
{
    [Fact]
    public async Task A_mail_queued_before_a_crash_is_sent_after_restart()
    {
        var first = new SqliteHost();
        // Nothing wakes this sender (the rows are inserted directly) and it polls once an hour:
        // the mails stay queued for as long as the first process lives.
        first.Configure("Classcloud:Mail:PollInterval", "01:00:00");
        var mailFolder = Path.Combine(first.DataDirectory, "mail");
        var queued = TestAccounts.NewEmail("queued");
        var claimed = TestAccounts.NewEmail("claimed");
        try
        {
            var now = DateTime.UtcNow;
            await first.WithDbAsync(db =>
            {
                // Due a moment from now, so even a first outbox pass racing this insert leaves it alone.
                db.Mail.Add(new OutboxMail { To = queued, Subject = "재시작 뒤에도 보내질 메일", Body = "queued", CreatedAt = now, NextAttemptAt = now.AddSeconds(1) });
                // Claimed by a sender that died mid-send: once its lease runs out, another sender takes it.
                db.Mail.Add(new OutboxMail { To = claimed, Subject = "claimed", Body = "claimed", CreatedAt = now, NextAttemptAt = now, LockedUntil = now.AddSeconds(1) });
                return db.SaveChangesAsync();
            });
            await first.DisposeAsync();  // stops the first host; its data directory stays (the fixture clean-up is below)
            Assert.False(Directory.Exists(mailFolder) && Directory.EnumerateFiles(mailFolder).Any(), "the first host sent nothing");

            var second = new SqliteHost();
            second.Configure("Classcloud:DataDirectory", first.DataDirectory);
            second.Configure("Classcloud:Mail:PollInterval", "00:00:00.100");
            try
            {
                _ = second.Services;  // starts the second host, whose sender finds the queue
                var mime = await Outbox.WaitForPickupFileAsync(mailFolder, queued);
                Assert.Equal("재시작 뒤에도 보내질 메일", mime.Header("Subject"));
                await Outbox.WaitForPickupFileAsync(mailFolder, claimed);
                var rows = await second.WithDbAsync(db => db.Mail.AsNoTracking().Where(m => m.To == queued || m.To == claimed).ToListAsync());
                Assert.Equal(2, rows.Count);
                Assert.All(rows, r => Assert.NotNull(r.SentAt));
                Assert.Equal(2, Directory.GetFiles(mailFolder, "*.eml").Length);
            }
            finally
            {
                await ((IAsyncLifetime)second).DisposeAsync();
            }
        }
        finally
        {
            await ((IAsyncLifetime)first).DisposeAsync();
        }
    }
}
