using System.Net;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>Health endpoints and the OpenAPI document of the running host.</summary>
public abstract class HostTests(ClasscloudHost host)
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        await response.StatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Healthz_says_alive_with_the_roles_as_json()
    {
        var body = await JsonAsync(await host.NewClient().GetAsync("/healthz"));
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("web,gateway,controller", body.GetProperty("roles").GetString());
    }

    [Fact]
    public async Task Readyz_reports_the_database_as_json()
    {
        var body = await JsonAsync(await host.NewClient().GetAsync("/readyz"));
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Readyz_is_503_when_a_check_fails()
    {
        var failing = host.Derive(s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions
            .AddSingleton<Classcloud.Web.Hosting.IReadinessCheck, FailingCheck>(s));
        var response = await failing.NewClient().GetAsync("/readyz");
        await response.StatusAsync(HttpStatusCode.ServiceUnavailable);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("unavailable", body.GetProperty("checks").GetProperty("engine").GetString());
    }

    [Theory]
    [InlineData("post", "/api/v1/auth/register")]
    [InlineData("post", "/api/v1/auth/verify")]
    [InlineData("post", "/api/v1/auth/login")]
    [InlineData("post", "/api/v1/tokens")]
    [InlineData("delete", "/api/v1/tokens/{id}")]
    [InlineData("get", "/api/v1/me")]
    [InlineData("get", "/api/v1/admin/users")]
    [InlineData("post", "/api/v1/admin/users/{id}/approve")]
    [InlineData("get", "/api/v1/admin/settings")]
    [InlineData("put", "/api/v1/admin/settings")]
    [InlineData("get", "/api/v1/admin/audit")]
    public async Task OpenApi_document_lists_the_contract_routes(string method, string path)
    {
        var document = await JsonAsync(await host.NewClient().GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item),
            $"{path} is not in /openapi/v1.json; it has: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(item.TryGetProperty(method, out _), $"{path} has no {method} operation in /openapi/v1.json");
    }

    [Fact]
    public async Task OpenApi_document_leaves_out_health_and_pages()
    {
        var document = await JsonAsync(await host.NewClient().GetAsync("/openapi/v1.json"));
        Assert.All(document.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name, StringComparison.Ordinal));
    }

    sealed class FailingCheck : Classcloud.Web.Hosting.IReadinessCheck
    {
        public string Name => "engine";

        public Task<bool> IsReadyAsync(CancellationToken ct) => throw new HttpRequestException("connection refused");
    }
}

public sealed class SqliteHostTests(SqliteHost host) : HostTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresHostTests(PostgresHost host) : HostTests(host), IClassFixture<PostgresHost>;
