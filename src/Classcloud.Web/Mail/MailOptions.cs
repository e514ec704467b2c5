using Microsoft.Extensions.Options;

namespace Classcloud.Web.Mail;

public enum MailMode
{
    /// <summary>Each mail is written as an .eml file under the data directory (the embedded default).</summary>
    Pickup,
    Smtp,
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS; a relay that does not offer it is refused, never used in the clear.</summary>
    StartTls,
    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Tls,
    /// <summary>No encryption: only for a relay on the same machine or a private link.</summary>
    None,
}

/// <summary>Classcloud:Mail.</summary>
public sealed class MailOptions
{
    public const string Section = "Classcloud:Mail";

    public MailMode Mode { get; set; } = MailMode.Pickup;
    public string From { get; set; } = "Classcloud <no-reply@classcloud.local>";
    /// <summary>Pickup folder; empty means "mail" under the data directory.</summary>
    public string? PickupDirectory { get; set; }
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;
    /// <summary>Authenticate (the strongest of PLAIN, LOGIN, ... the relay offers) when set.</summary>
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    /// <summary>
    /// A PEM file of a CA that may also sign the relay's certificate (a school's own CA). The system's
    /// roots are trusted either way, and the host name is always checked.
    /// </summary>
    public string? SmtpCaFile { get; set; }
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 8;
    /// <summary>First retry delay; each later retry doubles it, up to an hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the sender looks at the outbox when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How long sent and failed mails stay listed (their text is removed at once); then the row is deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions o)
    {
        var failures = new List<string>();
        if (o.Mode == MailMode.Smtp && string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            failures.Add("Classcloud:Mail:SmtpHost is required when Classcloud:Mail:Mode is Smtp.");
        }
        if (o.SmtpPort is < 1 or > 65535)
        {
            failures.Add($"Classcloud:Mail:SmtpPort must be between 1 and 65535 (got {o.SmtpPort}).");
        }
        if (!string.IsNullOrEmpty(o.SmtpUser) && o.SmtpSecurity == SmtpSecurity.None)
        {
            failures.Add("Classcloud:Mail:SmtpUser needs Classcloud:Mail:SmtpSecurity StartTls or Tls: the password is never sent in the clear.");
        }
        if (!string.IsNullOrEmpty(o.SmtpCaFile) && !File.Exists(o.SmtpCaFile))
        {
            failures.Add($"Classcloud:Mail:SmtpCaFile does not exist (got '{o.SmtpCaFile}').");
        }
        if (!System.Net.Mail.MailAddress.TryCreate(o.From, out _))
        {
            failures.Add($"Classcloud:Mail:From must be an e-mail address (got '{o.From}').");
        }
        if (o.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"Classcloud:Mail:MaxAttempts must be between 1 and 100 (got {o.MaxAttempts}).");
        }
        if (o.Retention < TimeSpan.FromHours(1) || o.Retention > TimeSpan.FromDays(3650))
        {
            failures.Add($"Classcloud:Mail:Retention must be between 01:00:00 and 3650.00:00:00 (got {o.Retention}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
