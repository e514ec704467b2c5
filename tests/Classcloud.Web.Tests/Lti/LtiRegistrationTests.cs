using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Classcloud.Web.Lti;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Lti;

/// <summary>Registration of platforms by an administrator, the tool's key at rest and at /lti/jwks, on both databases.</summary>
public abstract class LtiRegistrationTests(ClasscloudHost host)
{
    static object Valid(string clientId) => new
    {
        name = "Moodle",
        issuer = "https://moodle.school.ac.kr",
        clientId,
        keySetUrl = "https://moodle.school.ac.kr/mod/lti/certs.php",
        authUrl = "https://moodle.school.ac.kr/mod/lti/auth.php",
        accessTokenUrl = "https://moodle.school.ac.kr/mod/lti/token.php",
        deploymentIds = new[] { "1", "2" },
    };

    [Fact]
    public async Task An_administrator_registers_lists_and_removes_a_platform()
    {
        var admin = await host.AdminAsync();
        var clientId = "moodle-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await admin.Client.PostAsJsonAsync("/api/v1/admin/lti/platforms", Valid(clientId))).OkAsync<LtiPlatformDto>(HttpStatusCode.Created);
        Assert.Equal(["1", "2"], created.DeploymentIds);
        var list = await (await admin.Client.GetAsync("/api/v1/admin/lti/platforms")).OkAsync<List<LtiPlatformDto>>();
        Assert.Contains(list, p => p.Id == created.Id && p.ClientId == clientId && p.Issuer == "https://moodle.school.ac.kr");

        var twice = await admin.Client.PostAsJsonAsync("/api/v1/admin/lti/platforms", Valid(clientId));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        await (await admin.Client.DeleteAsync($"/api/v1/admin/lti/platforms/{created.Id}")).StatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync($"/api/v1/admin/lti/platforms/{created.Id}")).StatusCode);
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once_in_the_readers_language()
    {
        var admin = await host.AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/lti/platforms")
        {
            Content = JsonContent.Create(new
            {
                issuer = "http://moodle.school.ac.kr", clientId = "", keySetUrl = "ftp://x", authUrl = "https://ok.example.org/auth",
                accessTokenUrl = "not a url", deploymentIds = Array.Empty<string>(),
            }),
        };
        request.Headers.Add("Accept-Language", "ko");
        var response = await admin.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = body.RootElement.GetProperty("errors");
        Assert.Equal(["accessTokenUrl", "clientId", "deploymentIds", "issuer", "keySetUrl"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("https URL을 입력하세요(http는 이 서버 자신의 주소만 허용).", errors.GetProperty("keySetUrl")[0].GetString());
    }

    [Fact]
    public async Task The_tool_key_is_made_once_stored_protected_and_published_without_its_private_half()
    {
        using var anonymous = host.NewClient();
        var first = await anonymous.GetStringAsync("/lti/jwks");
        Assert.Equal(first, await anonymous.GetStringAsync("/lti/jwks"));
        using var set = JsonDocument.Parse(first);
        var key = Assert.Single(set.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));

        var row = await host.WithDbAsync(db => db.Set<LtiToolKey>().SingleAsync());
        Assert.Equal(key.GetProperty("kid").GetString(), row.KeyId);
        // The column alone is no key; opened with the ring it is the private half of the published key.
        using var raw = RSA.Create();
        Assert.ThrowsAny<Exception>(() => raw.ImportPkcs8PrivateKey(Convert.FromBase64String(row.ProtectedKey), out _));
        var opened = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Classcloud.Lti.ToolKey").Unprotect(row.ProtectedKey);
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(opened), out _);
        Assert.Equal(key.GetProperty("n").GetString(), Base64Url.EncodeToString(rsa.ExportParameters(false).Modulus));
    }
}

public sealed class SqliteLtiRegistrationTests(SqliteHost host) : LtiRegistrationTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresLtiRegistrationTests(PostgresHost host) : LtiRegistrationTests(host), IClassFixture<PostgresHost>;
