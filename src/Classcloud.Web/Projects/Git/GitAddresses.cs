using System.Net;
using System.Net.Sockets;

namespace Classcloud.Web.Projects.Git;

/// <summary>Looks a host name up; behind an interface so tests can answer as a hostile DNS server would.</summary>
public interface IHostResolver
{
    /// <summary>The host's addresses; throws <see cref="SocketException"/> when the name is not known.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The system's resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Closes the DNS rebinding gap between the address check and the clone: the Git host is resolved once, every
/// address is checked, and git is told to connect to exactly those (<c>http.curloptResolve</c>, curl's
/// CURLOPT_RESOLVE), so a second lookup by git, which a hostile DNS server could answer with this machine's
/// address, never happens. Redirects are off, so git never talks to another host; submodules are fetched only
/// from this same host and port, so the pin covers them too.
/// </summary>
public sealed class GitAddresses(IHostResolver resolver)
{
    /// <summary>The <c>http.curloptResolve</c> entry (<c>host:port:addr[,addr]</c>), or null for an address literal, which needs no lookup.</summary>
    public async Task<string?> PinAsync(Uri uri, IReadOnlyCollection<string> insecureHosts, CancellationToken ct)
    {
        var host = uri.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return GitRules.IsListed(uri, insecureHosts) || !GitRules.IsInternal(literal) ? null
                : throw new GitSourceException($"The host {host} is this machine or link-local; it is refused.");
        }
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, ct);
        }
        catch (SocketException)
        {
            throw new GitSourceException($"The host {host} is not known.");
        }
        if (addresses.Length == 0)
        {
            throw new GitSourceException($"The host {host} is not known.");
        }
        // Every address is checked, not only the first: curl may try any of them.
        if (!GitRules.IsListed(uri, insecureHosts) && addresses.Any(GitRules.IsInternal))
        {
            throw new GitSourceException($"The host {host} is this machine or link-local; it is refused.");
        }
        var pinned = string.Join(",", addresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString()));
        return $"{host}:{uri.Port}:{pinned}";
    }
}
