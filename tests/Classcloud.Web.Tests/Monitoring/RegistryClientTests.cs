using System.Net;
using System.Text;
using Classcloud.Platform;
using Classcloud.Platform.Registry;

namespace Classcloud.Web.Tests.Monitoring;

/// <summary>
/// The registry client's auth and paging against a scripted registry (Harbor-style Bearer tokens,
/// Link-header paging), which the embedded registry on this machine does not exercise.
/// </summary>
public sealed class RegistryClientTests
{
    /// <summary>Answers like a token-auth registry: 401 + challenge without the token, pages the catalog by two.</summary>
    sealed class FakeRegistry : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];
        public int TokenRequests { get; private set; }
        public string? TokenAuthorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!;
            Requests.Add($"{request.Method} {url.PathAndQuery} {request.Headers.Authorization}");
            if (url.AbsolutePath == "/service/token")
            {
                TokenRequests++;
                TokenAuthorization = request.Headers.Authorization?.ToString();
                var scope = System.Web.HttpUtility.ParseQueryString(url.Query)["scope"];
                return Task.FromResult(Json($$"""{"token":"tok-{{scope}}","expires_in":300}"""));
            }
            var scopeWanted = url.AbsolutePath.StartsWith("/v2/_catalog", StringComparison.Ordinal) ? "registry:catalog:*"
                : url.AbsolutePath == "/v2/" ? "" : "repository:team/app:pull";
            if (request.Headers.Authorization?.ToString() != $"Bearer tok-{scopeWanted}")
            {
                var unauthorized = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("{}") };
                unauthorized.Headers.TryAddWithoutValidation("WWW-Authenticate",
                    $"Bearer realm=\"https://harbor.example/service/token\",service=\"harbor-registry\"{(scopeWanted.Length > 0 ? $",scope=\"{scopeWanted}\"" : "")}");
                return Task.FromResult(unauthorized);
            }
            if (url.AbsolutePath == "/v2/_catalog")
            {
                var last = System.Web.HttpUtility.ParseQueryString(url.Query)["last"];
                var response = last is null ? Json("""{"repositories":["a/one","b/two"]}""") : Json("""{"repositories":["c/three"]}""");
                if (last is null)
                {
                    response.Headers.TryAddWithoutValidation("Link", "</v2/_catalog?last=b%2Ftwo&n=2>; rel=\"next\"");
                }
                return Task.FromResult(response);
            }
            return Task.FromResult(url.AbsolutePath == "/v2/" ? Json("{}") : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"errors":[{"code":"NAME_UNKNOWN"}]}""") });
        }

        static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    [Fact]
    public async Task Bearer_challenges_get_a_token_with_the_credentials_cached_per_scope_and_the_catalog_follows_links()
    {
        var fake = new FakeRegistry();
        using var client = new RegistryClient(new RegistryOptions { Address = "harbor.example", Username = "robot$ci", Password = "s3cret" }, null, fake);
        Assert.Equal("https://harbor.example/v2/", client.BaseAddress.ToString());

        Assert.Equal(["a/one", "b/two", "c/three"], await client.CatalogAsync(100, CancellationToken.None));
        Assert.Equal(1, fake.TokenRequests); // the second page reused the scope's token
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot$ci:s3cret")), fake.TokenAuthorization);
        Assert.Contains(fake.Requests, r => r.StartsWith("GET /service/token?service=harbor-registry&scope=registry%3Acatalog%3A%2A", StringComparison.Ordinal));
        Assert.Contains(fake.Requests, r => r.StartsWith("GET /v2/_catalog?last=b%2Ftwo&n=2 Bearer tok-registry:catalog:*", StringComparison.Ordinal));

        Assert.Empty(await client.TagsAsync("team/app", 10, CancellationToken.None)); // 404 NAME_UNKNOWN: no tags
        await client.PingAsync(CancellationToken.None);
        Assert.Equal(3, fake.TokenRequests);
    }

    [Fact]
    public async Task An_unreachable_registry_is_reported_as_unavailable()
    {
        using var client = new RegistryClient(new RegistryOptions { Address = "127.0.0.1:1" });
        Assert.Equal("http://127.0.0.1:1/v2/", client.BaseAddress.ToString()); // loopback: plain HTTP
        var ex = await Assert.ThrowsAsync<PlatformUnavailableException>(() => client.PingAsync(CancellationToken.None));
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.ac.kr", false)]
    [InlineData("10.0.0.5:5000", false)]
    public void Plain_http_only_for_loopback_unless_configured(string address, bool plain)
    {
        Assert.Equal(plain, new RegistryOptions { Address = address }.UsesPlainHttp);
        Assert.True(new RegistryOptions { Address = address, Insecure = true }.UsesPlainHttp);
    }

    /// <summary>A plain (no auth) registry holding team/app:1 only; records what was asked.</summary>
    sealed class OneTagRegistry : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            Requests.Add($"{request.Method} {path}");
            if (request.Method == HttpMethod.Head && path == "/v2/team/app/manifests/1")
            {
                var found = new HttpResponseMessage(HttpStatusCode.OK);
                found.Headers.TryAddWithoutValidation("Docker-Content-Digest", "sha256:abc");
                return Task.FromResult(found);
            }
            if (request.Method == HttpMethod.Delete && path == "/v2/team/app/manifests/sha256:abc")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"errors":[{"code":"MANIFEST_UNKNOWN"}]}""") });
        }
    }

    [Fact]
    public async Task Full_references_are_checked_and_deleted_by_digest_in_the_configured_registry_only()
    {
        var fake = new OneTagRegistry();
        using var client = new RegistryClient(new RegistryOptions { Address = "127.0.0.1:5000" }, null, fake);

        Assert.True(await client.ExistsAsync("127.0.0.1:5000/team/app:1", CancellationToken.None));
        Assert.False(await client.ExistsAsync("127.0.0.1:5000/team/app:2", CancellationToken.None));
        Assert.False(await client.ExistsAsync("127.0.0.1:5000/team/app", CancellationToken.None)); // no tag: latest
        Assert.Contains("HEAD /v2/team/app/manifests/latest", fake.Requests);

        Assert.True(await client.DeleteAsync("127.0.0.1:5000/team/app:1", CancellationToken.None));
        Assert.Equal("DELETE /v2/team/app/manifests/sha256:abc", fake.Requests[^1]);
        Assert.False(await client.DeleteAsync("127.0.0.1:5000/team/app:9", CancellationToken.None));

        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync("registry.example/team/app:1", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ExistsAsync("127.0.0.1:5000/team/app@sha256:abc", CancellationToken.None));
    }
}
