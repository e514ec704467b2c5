using Classcloud.Web.Mail;
using MailKit.Security;
using MimeKit;

namespace Classcloud.Web.Tests.Mail;

/// <summary>
/// MailKit against a real SMTP server on a loopback port: STARTTLS and implicit TLS with a
/// certificate from a school's own CA, AUTH PLAIN and LOGIN, and every way the connection is refused
/// rather than used unprotected.
/// </summary>
public sealed class SmtpTransportTests : IDisposable
{
    const string User = "classcloud@school.test";
    const string Password = "relay-비밀-password";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    readonly TestCertificates certificates = new();

    public void Dispose() => certificates.Dispose();

    SmtpListenerSetup Relay(SmtpListenerTls tls, params string[] mechanisms) =>
        new(tls, certificates.Server, mechanisms, User, Password);

    MailOptions Options(SmtpListener relay, SmtpSecurity security, bool trustCa = true, string password = Password) => new()
    {
        Mode = MailMode.Smtp,
        SmtpHost = "127.0.0.1",
        SmtpPort = relay.Port,
        SmtpSecurity = security,
        SmtpUser = User,
        SmtpPassword = password,
        SmtpCaFile = trustCa ? certificates.CaFile : null,
        SmtpTimeout = Patience,
    };

    static MimeMessage Message(string to)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Classcloud", "no-reply@classcloud.local"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "보안 연결 시험";
        message.Body = new TextPart("plain") { Text = "본문" };
        return message;
    }

    static async Task<SmtpListener> StartAsync(SmtpListenerSetup setup)
    {
        var relay = new SmtpListener(setup);
        await relay.InitializeAsync();
        return relay;
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task Starttls_then_auth_delivers_over_the_encrypted_session(string mechanism)
    {
        var relay = await StartAsync(Relay(SmtpListenerTls.StartTls, mechanism));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("starttls@school.test");

        await new SmtpTransport(Options(relay, SmtpSecurity.StartTls)).SendAsync(message, CancellationToken.None);

        var received = await relay.WaitForAsync("starttls@school.test", Patience);
        Assert.True(received.Tls, "the mail travelled after STARTTLS");
        Assert.Equal(mechanism, received.AuthMechanism);
        Assert.Equal(User, received.User);
        Assert.Equal("보안 연결 시험", received.Mime.Header("Subject"));
    }

    [Fact]
    public async Task Implicit_tls_delivers_from_the_first_byte()
    {
        var relay = await StartAsync(Relay(SmtpListenerTls.Implicit, "PLAIN", "LOGIN"));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("implicit@school.test");

        await new SmtpTransport(Options(relay, SmtpSecurity.Tls)).SendAsync(message, CancellationToken.None);

        var received = await relay.WaitForAsync("implicit@school.test", Patience);
        Assert.True(received.Tls);
        Assert.Equal(User, received.User);
    }

    [Fact]
    public async Task A_certificate_the_system_does_not_trust_is_refused_by_default()
    {
        var relay = await StartAsync(Relay(SmtpListenerTls.StartTls, "PLAIN"));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("untrusted@school.test");

        await Assert.ThrowsAsync<SslHandshakeException>(() =>
            new SmtpTransport(Options(relay, SmtpSecurity.StartTls, trustCa: false)).SendAsync(message, CancellationToken.None));

        Assert.Empty(relay.Authentications);
        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_even_from_the_trusted_ca()
    {
        using var other = new TestCertificates("mail.elsewhere.test", loopbackAddress: false);
        File.Copy(other.CaFile, certificates.CaFile, overwrite: true); // trust the CA that signed it
        var relay = await StartAsync(new SmtpListenerSetup(SmtpListenerTls.StartTls, other.Server, ["PLAIN"], User, Password));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("misnamed@school.test");

        await Assert.ThrowsAsync<SslHandshakeException>(() =>
            new SmtpTransport(Options(relay, SmtpSecurity.StartTls)).SendAsync(message, CancellationToken.None));

        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task A_relay_without_starttls_is_never_used_in_the_clear()
    {
        var relay = await StartAsync(new SmtpListenerSetup(SmtpListenerTls.None, null, ["PLAIN"], User, Password));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("downgrade@school.test");

        await Assert.ThrowsAsync<NotSupportedException>(() =>
            new SmtpTransport(Options(relay, SmtpSecurity.StartTls)).SendAsync(message, CancellationToken.None));

        Assert.Empty(relay.Authentications); // the password never crossed the plain connection
        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_nothing_is_sent()
    {
        var relay = await StartAsync(Relay(SmtpListenerTls.StartTls, "PLAIN", "LOGIN"));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("wrong@school.test");

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() =>
            new SmtpTransport(Options(relay, SmtpSecurity.StartTls, password: "wrong")).SendAsync(message, CancellationToken.None));

        Assert.Contains(relay.Authentications, a => a.User == User && !a.Accepted);
        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task A_relay_that_offers_no_auth_is_not_used_when_a_user_is_configured()
    {
        var relay = await StartAsync(new SmtpListenerSetup(SmtpListenerTls.StartTls, certificates.Server));
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("noauth@school.test");

        await Assert.ThrowsAsync<NotSupportedException>(() =>
            new SmtpTransport(Options(relay, SmtpSecurity.StartTls)).SendAsync(message, CancellationToken.None));

        Assert.Empty(relay.Received);
    }

    [Fact]
    public async Task Without_tls_or_user_a_local_relay_gets_the_mail_as_it_is()
    {
        var relay = await StartAsync(new SmtpListenerSetup());
        await using var _ = relay.AsAsyncDisposable();
        using var message = Message("local@school.test");
        var options = Options(relay, SmtpSecurity.None, trustCa: false);
        options.SmtpUser = null;

        await new SmtpTransport(options).SendAsync(message, CancellationToken.None);

        var received = await relay.WaitForAsync("local@school.test", Patience);
        Assert.False(received.Tls);
        Assert.Null(received.User);
    }
}

internal static class SmtpListenerDisposal
{
    /// <summary>Stops the listener at the end of a test that started it itself (not as a fixture).</summary>
    public static IAsyncDisposable AsAsyncDisposable(this SmtpListener listener) => new Stopper(listener);

    sealed class Stopper(SmtpListener listener) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await listener.DisposeAsync();
    }
}
