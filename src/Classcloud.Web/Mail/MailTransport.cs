using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Classcloud.Web.Mail;

/// <summary>Where a mail goes once the outbox hands it over: a relay over SMTP, or a file in the pickup folder.</summary>
internal interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>The embedded default: one .eml file per mail, for an administrator (or a test) to read.</summary>
internal sealed class PickupTransport(string folder) : IMailTransport
{
    // RFC 5322 lines end in CRLF, as on the wire; MimeKit would otherwise write the platform's LF.
    static readonly FormatOptions CrLf = new() { NewLineFormat = NewLineFormat.Dos };

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var name = Guid.NewGuid().ToString("N");
        var temp = Path.Combine(folder, name + ".tmp");
        // Written aside and then renamed, so whoever watches the folder never reads half a mail.
        await using (var file = File.Create(temp))
        {
            await message.WriteToAsync(CrLf, file, ct);
        }
        File.Move(temp, Path.Combine(folder, name + ".eml"));
    }
}

/// <summary>
/// MailKit's SMTP client: STARTTLS (required, never downgraded) or implicit TLS, the relay's
/// certificate checked against the system's roots (and an optional CA of the school's), and
/// authentication whenever a user name is configured.
/// </summary>
internal sealed class SmtpTransport(MailOptions options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)options.SmtpTimeout.TotalMilliseconds };
        if (!string.IsNullOrEmpty(options.SmtpCaFile))
        {
            client.ServerCertificateValidationCallback = TrustAlso(options.SmtpCaFile);
        }
        var security = options.SmtpSecurity switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(options.SmtpHost ?? "localhost", options.SmtpPort, security, ct);
        if (!string.IsNullOrEmpty(options.SmtpUser))
        {
            // A relay that offers no AUTH makes this throw: the mail is retried, never sent unauthenticated.
            await client.AuthenticateAsync(options.SmtpUser, options.SmtpPassword ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>
    /// Accepts what the system accepts, plus a chain that ends at the configured CA. A wrong host
    /// name or a missing certificate is refused whatever the CA.
    /// </summary>
    static RemoteCertificateValidationCallback TrustAlso(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        return (_, certificate, presented, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }
            if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            // A private CA seldom publishes revocation lists; the relay is one the school runs.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
    }
}
