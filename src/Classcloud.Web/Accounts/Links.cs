using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts;

/// <summary>
/// Absolute links for mails: Classcloud:PublicUrl, else the loopback address the platform listens on.
/// Never the request's Host header: a stranger could otherwise have a password-reset link point at
/// their own site (startup requires PublicUrl whenever the platform listens beyond loopback).
/// </summary>
public sealed class Links(IOptions<ClasscloudOptions> options, IServer server)
{
    public string To(string pathAndQuery) => Root() + pathAndQuery;

    string Root()
    {
        if (options.Value.PublicUrl is { Length: > 0 } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return configured.TrimEnd('/');
        }
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return listening is { Length: > 0 } address ? address.TrimEnd('/') : "http://localhost:8080";
    }
}
