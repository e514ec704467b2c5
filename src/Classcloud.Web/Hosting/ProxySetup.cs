using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Running behind a reverse proxy: forwarded headers only from known proxies (loopback plus
/// Classcloud:KnownProxies/KnownNetworks), and a public address that never comes from the Host header.
/// </summary>
public static class ProxySetup
{
    internal static void AddProxySupport(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ConfigureForwardedHeaders>();
    }

    /// <summary>First in the pipeline, so the apps gateway, rate limits, audit and cookies see the client, not the proxy.</summary>
    public static WebApplication UseProxyHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>
    /// The startup error when the platform listens beyond loopback with no Classcloud:PublicUrl: there, the
    /// Host header is whatever a stranger sends, and mailed links must not be built from it.
    /// </summary>
    internal static string? PublicUrlError(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["Classcloud:PublicUrl"]))
        {
            return null;
        }
        var open = ListenAddresses(configuration).Where(a => !IsLoopback(a)).ToList();
        return open.Count == 0 ? null
            : $"Classcloud:PublicUrl is required when the platform listens beyond loopback ({string.Join(", ", open)}); "
              + "set it to the address people open, e.g. https://classcloud.example.ac.kr.";
    }

    /// <summary>What Kestrel will bind: urls (ASPNETCORE_URLS, CLASSCLOUD_URLS, --urls), http(s)_ports and Kestrel endpoints.</summary>
    static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }
        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            // Ports alone bind every interface.
            foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"http://*:{port}";
            }
        }
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    internal static bool IsLoopback(string url)
    {
        if (url.Contains("://unix:", StringComparison.OrdinalIgnoreCase))
        {
            return true; // a socket file: only this machine (a proxy beside the platform) can connect
        }
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = end < 0 ? rest : rest[..end];
        var host = authority.StartsWith('[') ? authority[1..Math.Max(1, authority.IndexOf(']', StringComparison.Ordinal))]
            : authority.Split(':')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    sealed class ConfigureForwardedHeaders(IOptions<ClasscloudOptions> classcloud) : IConfigureOptions<ForwardedHeadersOptions>
    {
        public void Configure(ForwardedHeadersOptions options)
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // No hop limit: the middleware walks X-Forwarded-For from the right and stops at the first
            // address that is not a known proxy, so a chain of known proxies works and a forged entry does not.
            options.ForwardLimit = null;
            foreach (var proxy in classcloud.Value.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
            }
            foreach (var network in classcloud.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    options.KnownIPNetworks.Add(parsed);
                }
            }
        }
    }
}
