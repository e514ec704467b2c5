using System.Net;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Lti;

/// <summary>
/// The tool's routes (outside /api, so outside AuthorizationMatrixTests) × every caller: the platform and the
/// browser reach the first four without a Classcloud session (a session changes nothing); the picker's post needs one.
/// The admin API's rows are in
/// Admin/AuthorizationMatrixTests.
/// </summary>
public sealed class LtiRouteMatrixTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    static readonly TestRole[] Callers = [TestRole.Anonymous, TestRole.Student, TestRole.PendingEducator, TestRole.Educator, TestRole.Admin];

    static readonly (string Method, string Path, HttpStatusCode Anonymous, HttpStatusCode SignedIn, bool CrossSite)[] Rows =
    [
        ("GET", "/lti/jwks", HttpStatusCode.OK, HttpStatusCode.OK, false),
        // Without the platform's parameters: the page that says what this address is for.
        ("GET", "/lti/login", HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, false),
        ("POST", "/lti/login", HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, true),
        // A cross-site post without a token: refused by the launch page, not by the cross-site guard or antiforgery.
        ("POST", "/lti/launch", HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, true),
        // The picker's own post: sign in first; signed in, a post without the form's antiforgery token is refused.
        ("POST", "/lti/deep-link", HttpStatusCode.Redirect, HttpStatusCode.BadRequest, false),
    ];

    [Fact]
    public void Every_lti_route_has_a_row()
    {
        var mapped = host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(p => p.StartsWith("/lti/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Rows.Select(r => r.Path).Distinct().Order(StringComparer.Ordinal), mapped);
    }

    [Fact]
    public async Task Every_caller_gets_the_same_answer()
    {
        var wrong = new List<string>();
        foreach (var role in Callers)
        {
            var user = await host.UserAsync(role);
            foreach (var (method, path, anonymous, signedIn, crossSite) in Rows)
            {
                var status = role == TestRole.Anonymous ? anonymous : signedIn;
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" });
                    request.Headers.Add("Origin", crossSite ? "https://lms.example.org" : "https://localhost");
                }
                using var response = await user.Client.SendAsync(request);
                if (response.StatusCode != status)
                {
                    wrong.Add($"{method} {path} as {role}: expected {(int)status}, got {(int)response.StatusCode}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
