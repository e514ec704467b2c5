using System.Net;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Hosting;

/// <summary>Top-level settings under the "Classcloud" configuration section.</summary>
public sealed class ClasscloudOptions
{
    public const string Section = "Classcloud";

    /// <summary>Where the embedded default keeps its database, mail pickup folder and files.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Public base address, e.g. https://classcloud.example.ac.kr: mailed links, the site's own origin for
    /// cross-site checks, and (when https) Secure cookies and HSTS. Required when listening beyond loopback.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For/-Proto/-Host are believed. Loopback is always
    /// trusted (a proxy on the same machine); anyone else's forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8 for an ingress) whose forwarded headers are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>The public address, when configured and absolute.</summary>
    public Uri? PublicUri => PublicUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>Whether people reach the platform over HTTPS (a proxy may still talk plain HTTP to it).</summary>
    public bool PublicHttps => PublicUri?.Scheme == Uri.UriSchemeHttps;
}

internal sealed class ClasscloudOptionsValidator : IValidateOptions<ClasscloudOptions>
{
    public ValidateOptionsResult Validate(string? name, ClasscloudOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Classcloud:DataDirectory must not be empty.");
        }
        if (options.PublicUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"Classcloud:PublicUrl must be an absolute http or https URL (got '{url}').");
        }
        failures.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"Classcloud:KnownProxies must list IP addresses (got '{p}')."));
        failures.AddRange(options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _))
            .Select(n => $"Classcloud:KnownNetworks must list networks such as 10.0.0.0/8 (got '{n}')."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
