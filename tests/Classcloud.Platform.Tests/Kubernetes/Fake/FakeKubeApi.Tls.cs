using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Classcloud.Platform.Tests.Kubernetes.Fake;

/// <summary>
/// TLS as a real cluster has it: a CA of the cluster's own signs the API server's certificate (for
/// 127.0.0.1), so the client must be given that CA, and clients may authenticate with a
/// certificate the same CA issued instead of a bearer token.
/// </summary>
public sealed partial class FakeKubeApi
{
    static readonly Lazy<X509Certificate2> SharedCa = new(() => CreateCa("fake-cluster-ca"));

    /// <summary>The cluster's CA; the API server's certificate chains to it.</summary>
    public static X509Certificate2 Ca => SharedCa.Value;

    /// <summary>PEM of <see cref="Ca"/>, for a kubeconfig's <c>certificate-authority-data</c>.</summary>
    public static string CaPem => Ca.ExportCertificatePem();

    static HttpsConnectionAdapterOptions Https() => new()
    {
        ServerCertificate = Issue(Ca, "127.0.0.1", server: true),
        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
        // A client certificate is only trusted when this cluster's CA issued it.
        ClientCertificateValidation = (cert, _, _) => cert.Issuer == Ca.Subject,
    };

    /// <summary>A client certificate (with its key) the cluster trusts, for the user <paramref name="name"/>.</summary>
    public static X509Certificate2 IssueClientCertificate(string name) => Issue(Ca, name, server: false);

    /// <summary>An HttpClient that trusts exactly the fake's CA and sends the token, for test setup.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler();
        var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        chain.CustomTrustStore.Add(Ca);
        handler.SslOptions.CertificateChainPolicy = chain;
        var http = new HttpClient(handler) { BaseAddress = Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return http;
    }

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    static X509Certificate2 Issue(X509Certificate2 ca, string name, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a certificate whose key it can use: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
