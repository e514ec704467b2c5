using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Accounts;

/// <summary>Absolute links for mails: Classcloud:PublicUrl when set, else the address of the current request.</summary>
public sealed class Links(IOptions<ClasscloudOptions> options, IHttpContextAccessor http)
{
    public string To(string pathAndQuery)
    {
        var configured = options.Value.PublicUrl;
        var request = http.HttpContext?.Request;
        var root = !string.IsNullOrWhiteSpace(configured) ? configured.TrimEnd('/')
            : request is not null ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : "http://localhost:8080";
        return root + pathAndQuery;
    }
}
