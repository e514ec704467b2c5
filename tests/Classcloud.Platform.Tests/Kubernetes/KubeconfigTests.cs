using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Classcloud.Platform.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Classcloud.Platform.Tests.Kubernetes;

public sealed class KubeconfigTests
{
    static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void The_current_context_picks_its_cluster_and_user_with_inline_certificates()
    {
        var yaml = $"""
            apiVersion: v1
            kind: Config
            # written by a cloud CLI
            current-context: "school-admin@school"
            clusters:
            - name: other
              cluster:
                server: https://other.example:6443
            - cluster:
                certificate-authority-data: {B64("CA PEM")}
                server: https://10.0.0.1:6443
              name: school
            contexts:
            - context: {"{}"}
              name: empty
            - name: school-admin@school
              context:
                cluster: school
                user: school-admin
                namespace: classcloud
            users:
            - name: school-admin
              user:
                client-certificate-data: {B64("CERT PEM")}
                client-key-data: {B64("KEY PEM")}
            """;
        var endpoint = KubeConfig.Parse(yaml, "/nowhere", null);
        Assert.Equal(new Uri("https://10.0.0.1:6443/"), endpoint.Server);
        Assert.Equal("CA PEM", endpoint.CaPem);
        Assert.Equal("CERT PEM", endpoint.ClientCertificatePem);
        Assert.Equal("KEY PEM", endpoint.ClientKeyPem);
        Assert.Equal("classcloud", endpoint.Namespace);
        Assert.Null(endpoint.Token);
        Assert.False(endpoint.InsecureSkipTlsVerify);
        Assert.Equal("https://10.0.0.1:6443/", endpoint.ToString());
    }

    [Fact]
    public void A_named_context_with_a_token_and_files_relative_to_the_kubeconfig()
    {
        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "ca.crt"), "CA FROM FILE");
            File.WriteAllText(Path.Combine(dir, "token"), "file-token\n");
            var yaml = """
                current-context: a
                clusters:
                  - name: c1
                    cluster:
                      server: 'https://kube.example.ac.kr'
                      certificate-authority: ca.crt
                  - name: c2
                    cluster:
                      server: https://test.example:6443
                      insecure-skip-tls-verify: true
                contexts:
                  - name: a
                    context: {cluster: c1, user: u1}
                  - name: b
                    context:
                      cluster: c1
                      user: u1
                  - name: insecure
                    context:
                      cluster: c2
                      user: u2
                users:
                  - name: u1
                    user:
                      token: "abc.def#not-a-comment"
                  - name: u2
                    user:
                      tokenFile: token
                """;
            File.WriteAllText(Path.Combine(dir, "config"), yaml);
            var b = KubeConfig.Load(Path.Combine(dir, "config"), "b");
            Assert.Equal(new Uri("https://kube.example.ac.kr/"), b.Server);
            Assert.Equal("CA FROM FILE", b.CaPem);
            Assert.Equal("abc.def#not-a-comment", b.Token);

            var insecure = KubeConfig.Load(Path.Combine(dir, "config"), "insecure");
            Assert.True(insecure.InsecureSkipTlsVerify);
            Assert.Equal(Path.Combine(dir, "token"), insecure.TokenFile);
            Assert.Null(insecure.CaPem);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void One_line_flow_mappings_are_read()
    {
        var endpoint = KubeConfig.Parse("""
            current-context: a
            contexts:
            - name: a
              context: {cluster: c1, user: "u1"}
            clusters: [{name: c1, cluster: {server: https://flow.example}}]
            users:
            - {name: u0, user: {token: other}}
            - name: u1
              user: {token: flow-token}
            """, "/", null);
        Assert.Equal(new Uri("https://flow.example/"), endpoint.Server);
        Assert.Equal("flow-token", endpoint.Token);
    }

    [Fact]
    public void A_json_kubeconfig_is_read_too()
    {
        var endpoint = KubeConfig.Parse("""
            {"current-context":"j","clusters":[{"name":"c","cluster":{"server":"https://json.example"}}],
             "contexts":[{"name":"j","context":{"cluster":"c","user":"u"}}],"users":[{"name":"u","user":{"token":"t"}}]}
            """, "/", null);
        Assert.Equal("t", endpoint.Token);
        Assert.Equal(new Uri("https://json.example/"), endpoint.Server);
    }

    [Theory]
    [InlineData("current-context: x\ncontexts: []\n", null, "kubeconfig has no context named 'x'.")]
    [InlineData("contexts: []\n", null, "kubeconfig has no current-context and no context was configured.")]
    [InlineData("current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\nclusters:\n- name: c\n  cluster:\n    server: https://a\nusers:\n- name: u\n  user:\n    exec:\n      command: aws\n",
        null, "User of context x in kubeconfig authenticates through a plugin (exec/auth-provider), which Classcloud does not run; give it a service-account token or a client certificate.")]
    [InlineData("current-context: x\n\tbad: tab\n", null, "kubeconfig is not a readable kubeconfig: Tabs cannot indent YAML.")]
    public void Unusable_kubeconfigs_say_why(string yaml, string? context, string message)
    {
        var ex = Assert.Throws<PlatformInvalidRequestException>(() => KubeConfig.Parse(yaml, "/", context));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void In_cluster_reads_the_service_account_when_the_service_host_is_set()
    {
        var dir = Directory.CreateTempSubdirectory("sa-").FullName;
        try
        {
            Assert.Null(KubeConfig.InCluster(dir));  // no token file
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A TLS API server with its own CA that requires a client certificate from the same CA, as kubeadm clusters do.</summary>
    [Fact]
    public async Task The_client_trusts_exactly_the_clusters_CA_and_presents_its_client_certificate()
    {
        using var ca = CreateCa("fake-cluster-ca");
        using var server = Issue(ca, "127.0.0.1", server: true);
        using var client = Issue(ca, "school-admin", server: false);
        using var otherCa = CreateCa("somebody-else");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = server,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (cert, _, _) => cert.Issuer == ca.Subject,
        })));
        await using var app = builder.Build();
        app.MapGet("/version", (HttpContext c) => Results.Json(new { gitVersion = c.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, false) }));
        await app.StartAsync();
        var url = new Uri(app.Urls.First());

        KubeEndpoint Endpoint(X509Certificate2 trusted, bool insecure = false) => new()
        {
            Server = url,
            CaPem = insecure ? null : trusted.ExportCertificatePem(),
            ClientCertificatePem = client.ExportCertificatePem(),
            ClientKeyPem = client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            InsecureSkipTlsVerify = insecure,
        };
        using (var kube = new KubeClient(Endpoint(ca), TimeSpan.FromSeconds(10)))
        {
            var version = await kube.GetAsync("version", KubeJson.Default.VersionInfo, CancellationToken.None);
            Assert.Equal("school-admin", version.GitVersion);
        }
        using (var wrongCa = new KubeClient(Endpoint(otherCa), TimeSpan.FromSeconds(10)))
        {
            var ex = await Assert.ThrowsAsync<PlatformUnavailableException>(() => wrongCa.GetAsync("version", KubeJson.Default.VersionInfo, CancellationToken.None));
            Assert.StartsWith($"The Kubernetes API at {url} cannot be reached:", ex.Message, StringComparison.Ordinal);
        }
        using (var insecure = new KubeClient(Endpoint(otherCa, insecure: true), TimeSpan.FromSeconds(10)))
        {
            Assert.Equal("school-admin", (await insecure.GetAsync("version", KubeJson.Default.VersionInfo, CancellationToken.None)).GitVersion);
        }
    }

    static X509Certificate2 CreateCa(string name)
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
