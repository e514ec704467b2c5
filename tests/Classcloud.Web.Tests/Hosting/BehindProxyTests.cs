using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>
/// The platform as a process behind the two proxies docs/operations.md describes, each run for real on loopback:
/// Caddy with the Caddyfile <c>run.sh</c> writes (scripts/lib.sh <c>caddy_file</c>, HTTPS from Caddy's own CA for
/// localhost) and nginx with <c>deploy/nginx/classcloud.conf</c> (a self-signed certificate). Through either, a
/// browser's sign-in from the proxy's https origin is accepted and its session cookie is Secure, which holds only
/// if the platform believes the proxy's X-Forwarded-Proto and -Host; the same request straight to the platform is
/// refused as cross-site, and a foreign origin through the proxy is refused too.
/// </summary>
public sealed class BehindProxyTests : IAsyncLifetime
{
    readonly DirectoryInfo data = Directory.CreateTempSubdirectory("classcloud-proxy-");
    readonly List<Process> proxies = [];
    ProcessHost platform = null!;

    public async Task InitializeAsync() =>
        platform = await ProcessHost.StartAsync("web,gateway,controller", data.CreateSubdirectory("platform").FullName, new Dictionary<string, string>());

    [Fact]
    public async Task Behind_caddy_as_run_sh_configures_it_a_sign_in_works_with_a_secure_cookie()
    {
        var port = ProcessHost.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(data.FullName, "caddy")).FullName;
        var caddyfile = await ShAsync($". scripts/lib.sh && caddy_file 'https://localhost:{port}' '{platform.Address.Authority}' '\tadmin off\n\tskip_install_trust'");
        await File.WriteAllTextAsync(Path.Combine(dir, "Caddyfile"), caddyfile);
        Start("caddy", ["run", "--config", Path.Combine(dir, "Caddyfile"), "--adapter", "caddyfile"], new() { ["HOME"] = dir, ["XDG_DATA_HOME"] = dir, ["XDG_CONFIG_HOME"] = dir });
        // Caddy's own CA for localhost sites, made on its first start.
        await SignInThroughAsync(new Uri($"https://localhost:{port}"), Path.Combine(dir, "caddy", "pki", "authorities", "local", "root.crt"));
    }

    [Fact]
    public async Task Behind_nginx_with_the_shipped_site_file_a_sign_in_works_with_a_secure_cookie()
    {
        var port = ProcessHost.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(data.FullName, "nginx"));
        // nginx's workers run as an unprivileged user: they write their temporary files here.
        File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_111_111);
        var root = dir.FullName;
        await ShAsync($"openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout {root}/key.pem -out {root}/cert.pem 2>/dev/null");
        var site = (await File.ReadAllTextAsync(Path.Combine(ProcessHost.RepositoryRoot(), "deploy", "nginx", "classcloud.conf")))
            .Replace("listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;", StringComparison.Ordinal)
            .Replace("server_name classcloud.example.ac.kr;", "server_name localhost;", StringComparison.Ordinal)
            .Replace("/etc/ssl/classcloud/fullchain.pem", $"{root}/cert.pem", StringComparison.Ordinal)
            .Replace("/etc/ssl/classcloud/privkey.pem", $"{root}/key.pem", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8080", $"http://{platform.Address.Authority}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(root, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(root, "nginx.conf"), $$"""
            daemon off;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log;
            events {}
            http {
                access_log off;
                client_body_temp_path {{root}}/body;
                proxy_temp_path {{root}}/proxy;
                fastcgi_temp_path {{root}}/fastcgi;
                uwsgi_temp_path {{root}}/uwsgi;
                scgi_temp_path {{root}}/scgi;
                include {{root}}/site.conf;
            }
            """);
        Start("nginx", ["-c", Path.Combine(root, "nginx.conf"), "-p", root], []);
        await SignInThroughAsync(new Uri($"https://localhost:{port}"), Path.Combine(root, "cert.pem"));
    }

    async Task SignInThroughAsync(Uri proxy, string trustedRoot)
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(data.FullName, "platform", "initial-admin-password"))).Trim();
        var cookies = new CookieContainer();
        using var handler = new SocketsHttpHandler
        {
            CookieContainer = cookies,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, sent, _) => ChainsTo(certificate, sent, trustedRoot) },
        };
        using var client = new HttpClient(handler) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };
        await UntilAnswersAsync(client);

        using (var page = await client.GetAsync("/signin"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using (var foreign = await LoginAsync(client, "https://evil.example", password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }
        using (var direct = new HttpClient { BaseAddress = platform.Address })
        using (var straight = await LoginAsync(direct, proxy.GetLeftPart(UriPartial.Authority), password))
        {
            // Straight to the platform the proxy's origin is another site: what makes it the same site is the proxy's headers.
            Assert.Equal(HttpStatusCode.Forbidden, straight.StatusCode);
        }
        using (var signedIn = await LoginAsync(client, proxy.GetLeftPart(UriPartial.Authority), password))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            var setCookies = signedIn.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
            var session = Assert.Single(setCookies, c => c.StartsWith("classcloud.auth=", StringComparison.Ordinal));
            Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        }
        using var me = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    /// <summary>The proxy's certificate is checked against the one root this test trusts (the proxy's own CA or self-signed certificate).</summary>
    static bool ChainsTo(X509Certificate? certificate, X509Chain? sent, string rootPem)
    {
        if (certificate is null || !File.Exists(rootPem))
        {
            return false;
        }
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(rootPem));
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        // Caddy signs with an intermediate, which it sends along.
        foreach (var element in sent?.ChainElements.Select(e => e.Certificate) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element);
        }
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    static Task<HttpResponseMessage> LoginAsync(HttpClient client, string origin, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { email = "admin@localhost", password }),
        };
        request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    void Start(string program, IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        proxies.Add(process);
    }

    async Task UntilAnswersAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(proxies[^1].HasExited, $"The proxy exited with code {(proxies[^1].HasExited ? proxies[^1].ExitCode : 0)}");
            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet (or its certificate not made yet).
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The proxy did not answer within 60 s");
            await Task.Delay(200);
        }
    }

    static async Task<string> ShAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", script }, WorkingDirectory = ProcessHost.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"`{script}` exited {process.ExitCode}: {error}");
        return output;
    }

    public async Task DisposeAsync()
    {
        foreach (var proxy in proxies)
        {
            if (!proxy.HasExited)
            {
                proxy.Kill(entireProcessTree: true);
                await proxy.WaitForExitAsync();
            }
            proxy.Dispose();
        }
        await platform.DisposeAsync();
        data.Delete(recursive: true);
    }
}
