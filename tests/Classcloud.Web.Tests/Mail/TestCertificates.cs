using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Classcloud.Web.Tests.Mail;

/// <summary>
/// A throw-away CA and a server certificate it signed for localhost and 127.0.0.1, as a school's
/// own relay would present (or, without the address, one for another name); the CA's PEM file is what Classcloud:Mail:SmtpCaFile points at.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(string hostName = "localhost", bool loopbackAddress = true)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Classcloud test mail CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        Authority = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        if (loopbackAddress)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(Authority, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(key);
        // Through PKCS#12 so the key is one SslStream can use as a server on every platform.
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);

        CaFile = Path.Combine(Directory.CreateTempSubdirectory("classcloud-mail-ca-").FullName, "ca.pem");
        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public string CaFile { get; }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        var folder = Path.GetDirectoryName(CaFile)!;
        if (Directory.Exists(folder)) // the listener's fixture may be disposed twice (IAsyncLifetime and IDisposable)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
