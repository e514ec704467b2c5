using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Mail;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Mail;

/// <summary>Shared steps: sign up (the verification mail is the outbox's most common mail) and watch the outbox row.</summary>
internal static class Outbox
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task<string> RegisterAsync(ClasscloudHost host, string nickname = "김학생", string language = "ko")
    {
        var email = TestAccounts.NewEmail("mail");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent.Create(new { email, password = TestAccounts.Password, name = "김철수", nickname, role = "student" }),
        };
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await host.NewClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return email;
    }

    public static Task<OutboxMail> RowAsync(ClasscloudHost host, string to) =>
        host.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == to));

    /// <summary>Polls the outbox row until the condition holds; fails the test after a while.</summary>
    public static async Task<OutboxMail> WaitForRowAsync(ClasscloudHost host, string to, Func<OutboxMail, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        OutboxMail? row = null;
        while (DateTime.UtcNow < deadline)
        {
            row = await host.WithDbAsync(db => db.Mail.AsNoTracking().SingleOrDefaultAsync(m => m.To == to));
            if (row is not null && condition(row))
            {
                return row;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The outbox row to {to} never reached the expected state; last: attempts {row?.Attempts}, sent {row?.SentAt}, error {row?.LastError}.");
    }

    public static async Task<MimeText> WaitForPickupFileAsync(string folder, string to)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
            {
                var mime = MimeText.Parse(await File.ReadAllTextAsync(file, System.Text.Encoding.Latin1));
                if (mime.Header("To")?.Contains(to, StringComparison.OrdinalIgnoreCase) == true)
                {
                    return mime;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No .eml file to {to} appeared in {folder}.");
    }
}

/// <summary>
/// Classcloud:Mail:Mode=Smtp against a real SMTP listener on a loopback port, as a school's relay
/// is reached: STARTTLS with a certificate from the school's CA, then AUTH.
/// </summary>
public abstract class SmtpOutboxTests
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    readonly ClasscloudHost host;
    readonly SecureSmtpListener smtp;

    protected SmtpOutboxTests(ClasscloudHost host, SecureSmtpListener smtp)
    {
        this.host = host;
        this.smtp = smtp;
        host.Configure("Classcloud:Mail:Mode", "Smtp");
        host.Configure("Classcloud:Mail:SmtpHost", "127.0.0.1");
        host.Configure("Classcloud:Mail:SmtpPort", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        host.Configure("Classcloud:Mail:SmtpSecurity", "StartTls");
        host.Configure("Classcloud:Mail:SmtpCaFile", smtp.Certificates.CaFile);
        host.Configure("Classcloud:Mail:SmtpUser", SecureSmtpListener.User);
        host.Configure("Classcloud:Mail:SmtpPassword", SecureSmtpListener.Password);
        host.Configure("Classcloud:Mail:RetryDelay", RetryDelay.ToString());
        host.Configure("Classcloud:Mail:PollInterval", "00:00:00.100");
    }

    [Fact]
    public async Task The_verification_mail_reaches_the_relay_with_its_utf8_text_intact()
    {
        var email = await Outbox.RegisterAsync(host);

        var message = await smtp.WaitForAsync(email, Outbox.Patience);
        Assert.Equal([email], message.To);
        Assert.True(message.Tls, "sent after STARTTLS");
        Assert.Equal(SecureSmtpListener.User, message.User);
        var mime = message.Mime;
        Assert.Contains(email, mime.Header("To"), StringComparison.Ordinal);
        var row = await Outbox.WaitForRowAsync(host, email, m => m.SentAt is not null);
        Assert.Equal(row.Subject, mime.Header("Subject"));
        Assert.Contains("김학생", mime.Body, StringComparison.Ordinal);
        Assert.Contains("/verify?token=", mime.Body, StringComparison.Ordinal);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task A_long_korean_subject_survives_encoding_and_folding()
    {
        var to = TestAccounts.NewEmail("subject");
        const string subject = "이메일 주소를 인증해 주세요 — Classcloud 가입을 환영합니다 (한글 제목이 여러 줄로 접혀도 그대로)";
        await using (var scope = host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Mailer>().Enqueue(to, subject, "본문: 안녕하세요.\n둘째 줄.");
            await scope.ServiceProvider.GetRequiredService<Classcloud.Web.Data.ClasscloudDb>().SaveChangesAsync();
        }

        var mime = (await smtp.WaitForAsync(to, Outbox.Patience)).Mime;
        Assert.Equal(subject, mime.Header("Subject"));
        Assert.Contains("본문: 안녕하세요.", mime.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusing_relay_gets_the_mail_again_with_backoff_until_it_accepts()
    {
        smtp.RefuseNext(2);
        var email = await Outbox.RegisterAsync(host, language: "en");

        var failing = await Outbox.WaitForRowAsync(host, email, m => m.Attempts >= 1 && m.SentAt is null);
        Assert.Contains("try again later", failing.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Null(failing.FailedAt);
        Assert.True(failing.NextAttemptAt > failing.CreatedAt, "the retry is scheduled later, not at once");

        await smtp.WaitForAsync(email, Outbox.Patience);
        var sent = await Outbox.WaitForRowAsync(host, email, m => m.SentAt is not null);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
        Assert.Null(sent.FailedAt);

        var tries = smtp.DataCommands.Where(c => c.To.Contains(email)).ToList();
        Assert.Equal([false, false, true], tries.Select(t => t.Accepted));
        // Exponential backoff: the second wait is twice the first (less a little for clock granularity).
        Assert.True(tries[1].At - tries[0].At >= RetryDelay * 0.9, $"first retry after {tries[1].At - tries[0].At}");
        Assert.True(tries[2].At - tries[1].At >= RetryDelay * 1.8, $"second retry after {tries[2].At - tries[1].At}");
    }
}

public sealed class SqliteSmtpOutboxTests(SqliteHost host, SecureSmtpListener smtp)
    : SmtpOutboxTests(host, smtp), IClassFixture<SqliteHost>, IClassFixture<SecureSmtpListener>;

public sealed class PostgresSmtpOutboxTests(PostgresHost host, SecureSmtpListener smtp)
    : SmtpOutboxTests(host, smtp), IClassFixture<PostgresHost>, IClassFixture<SecureSmtpListener>;

/// <summary>Classcloud:Mail:Mode=Pickup (the embedded default): one .eml file per mail under the data directory.</summary>
public abstract class PickupOutboxTests
{
    readonly ClasscloudHost host;

    protected PickupOutboxTests(ClasscloudHost host)
    {
        this.host = host;
        // A poll far beyond the test's patience: the mail can only arrive because committing the
        // sign-up (an explicit transaction) woke the sender.
        host.Configure("Classcloud:Mail:PollInterval", "00:10:00");
    }

    [Fact]
    public async Task Each_mail_is_written_as_an_eml_file_under_the_data_directory()
    {
        var email = await Outbox.RegisterAsync(host);

        var mime = await Outbox.WaitForPickupFileAsync(Path.Combine(host.DataDirectory, "mail"), email);
        var row = await Outbox.WaitForRowAsync(host, email, m => m.SentAt is not null);
        Assert.Equal(row.Subject, mime.Header("Subject"));
        Assert.Contains("김학생", mime.Body, StringComparison.Ordinal);
        Assert.Equal(0, row.Attempts);
    }
}

public sealed class SqlitePickupOutboxTests(SqliteHost host) : PickupOutboxTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresPickupOutboxTests(PostgresHost host) : PickupOutboxTests(host), IClassFixture<PostgresHost>;
