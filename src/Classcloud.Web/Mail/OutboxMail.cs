using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Classcloud.Web.Mail;

/// <summary>
/// A mail waiting in (or sent from) the outbox. Saved in the same transaction as the action that
/// caused it, so a mail queued before a crash is still sent after restart.
/// </summary>
public sealed class OutboxMail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>Set while one sender works on it, so two senders never send the same mail.</summary>
    public DateTime? LockedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Set when retries are exhausted.</summary>
    public DateTime? FailedAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>What the body becomes once the mail is sent or given up: its links are credentials.</summary>
    public const string Removed = "(removed after sending)";

    /// <summary>The Message-ID a delivered copy carries: the row's id, then its creation time, at the sender's domain.</summary>
    public static string MessageIdOf(OutboxMail mail, string? domain) =>
        $"{mail.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{mail.CreatedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)}@{(string.IsNullOrEmpty(domain) ? "classcloud.local" : domain)}";
}

internal sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> b)
    {
        b.Property(m => m.To).HasMaxLength(256);
        b.Property(m => m.Subject).HasMaxLength(300);
        b.Property(m => m.Body).HasMaxLength(20_000);
        b.Property(m => m.LastError).HasMaxLength(1000);
        b.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
        b.HasIndex(m => m.CreatedAt);
    }
}
