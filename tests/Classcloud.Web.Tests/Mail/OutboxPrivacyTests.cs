using Classcloud.Web.Mail;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Classcloud.Web.Tests.Mail;

/// <summary>
/// Issue 15, the outbox: once a mail is delivered its text (a confirmation or reset link is a credential)
/// is gone from the database and from what administrators see; old rows are deleted after the retention.
/// </summary>
public abstract class OutboxPrivacyTests(ClasscloudHost host)
{
    [Fact]
    public async Task A_delivered_link_is_kept_neither_in_the_database_nor_in_the_admin_outbox()
    {
        var email = await Outbox.RegisterAsync(host, language: "en");
        var delivered = await Outbox.WaitForPickupFileAsync(Path.Combine(host.DataDirectory, "mail"), email);
        Assert.Contains("/verify?token=", delivered.Body, StringComparison.Ordinal);

        var row = await Outbox.WaitForRowAsync(host, email, r => r.SentAt is not null);
        Assert.Equal(OutboxMail.Removed, row.Body);
        var admin = await host.AdminAsync();
        var api = await admin.Client.GetStringAsync("/api/v1/admin/mail?pageSize=100");
        Assert.Contains(email, api, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", api, StringComparison.Ordinal);
        var page = await admin.Client.GetStringAsync("/admin/mail");
        Assert.DoesNotContain("token=", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sent_and_failed_rows_expire_after_the_retention_and_waiting_mail_never_does()
    {
        var clock = new FakeTimeProvider();
        var timed = host.Derive(s => s.AddSingleton<TimeProvider>(clock), new Dictionary<string, string?> { ["Classcloud:Mail:Retention"] = "2.00:00:00" });
        var sender = timed.Services.GetServices<IHostedService>().OfType<MailSender>().Single();
        var now = clock.GetUtcNow().UtcDateTime;
        var tag = Guid.NewGuid().ToString("N")[..8];
        OutboxMail Row(string name, DateTime? sent = null, DateTime? failed = null) => new()
        {
            To = $"{name}-{tag}@school.ac.kr", Subject = name, Body = OutboxMail.Removed, CreatedAt = now.AddDays(-40),
            // Waiting mail is due far in the future, so no sender picks it up meanwhile.
            NextAttemptAt = sent is null && failed is null ? now.AddDays(30) : now.AddDays(-40), SentAt = sent, FailedAt = failed,
        };
        await timed.WithDbAsync(async db =>
        {
            db.Mail.AddRange(Row("sent-old", sent: now.AddDays(-3)), Row("failed-old", failed: now.AddDays(-3)),
                Row("sent-recent", sent: now.AddDays(-1)), Row("waiting"));
            return await db.SaveChangesAsync();
        });
        string[] Left(IEnumerable<string> subjects) => [.. subjects.Order(StringComparer.Ordinal)];

        await sender.PurgeAsync(CancellationToken.None);
        var left = await timed.WithDbAsync(db => db.Mail.AsNoTracking().Where(m => m.To.EndsWith($"-{tag}@school.ac.kr")).Select(m => m.Subject).ToListAsync());
        Assert.Equal(["sent-recent", "waiting"], Left(left));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await sender.PurgeAsync(CancellationToken.None);
        left = await timed.WithDbAsync(db => db.Mail.AsNoTracking().Where(m => m.To.EndsWith($"-{tag}@school.ac.kr")).Select(m => m.Subject).ToListAsync());
        Assert.Equal(["waiting"], Left(left));
    }
}

public sealed class SqliteOutboxPrivacyTests(SqliteHost host) : OutboxPrivacyTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresOutboxPrivacyTests(PostgresHost host) : OutboxPrivacyTests(host), IClassFixture<PostgresHost>;
