using System.Text.RegularExpressions;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Courses;

/// <summary>The host's API routes as "METHOD pattern", to check that a matrix has a row for each.</summary>
public static class RouteTable
{
    public static IReadOnlyList<(string Method, string Pattern)> Of(ClasscloudHost host) =>
        host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, Trim(e.RoutePattern.RawText ?? ""))))
            .Where(r => r.Item2.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct().ToList();

    /// <summary>Routes under the prefixes that a request (method and concrete path) of no row matches.</summary>
    public static IReadOnlyList<string> Uncovered(ClasscloudHost host, IEnumerable<string> prefixes, IEnumerable<(string Method, string Path)> requests)
    {
        var wanted = Of(host).Where(r => prefixes.Any(p => r.Pattern.StartsWith(p, StringComparison.Ordinal))).ToList();
        var list = requests.Select(r => (r.Method, Path: Trim(r.Path.Split('?')[0]))).ToList();
        return wanted.Where(route => !list.Any(r => r.Method == route.Method && ToRegex(route.Pattern).IsMatch(r.Path)))
            .Select(r => $"{r.Method} {r.Pattern}").ToList();
    }

    /// <summary>Enough of a cast to build paths (ids only), for checks that send nothing.</summary>
    public static CourseCast PlaceholderCast { get; } = new(User(0), User(2), User(3), User(4), User(5), User(6), User(7), User(8), User(9), User(1));

    static TestUser User(long id) => new(null!, id, "", "", TestRole.Student);

    static string Trim(string pattern) => pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;

    static Regex ToRegex(string pattern) =>
        new("^" + Regex.Replace(Regex.Escape(pattern).Replace(@"\{", "{", StringComparison.Ordinal), @"\{[^}:]+:long\}|\{[^}]+\}",
            m => m.Value.Contains(":long", StringComparison.Ordinal) ? @"-?\d+" : "[^/]+") + "$");
}
