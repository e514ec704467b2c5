using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Accounts;

/// <summary>Personal access tokens: shown once, stored hashed, expiring, revocable, `Authorization: Bearer` on the API.</summary>
public abstract class AccessTokenTests(ClasscloudHost host)
{
    static HttpClient Bearer(ClasscloudHost host, string token)
    {
        var client = host.NewClient(ClasscloudHost.ClientAddress, cookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<CreatedTokenDto> CreateAsync(TestUser user, string name = "laptop cli", int days = 30) =>
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name, expiresInDays = days })).OkAsync<CreatedTokenDto>(HttpStatusCode.Created);

    [Fact]
    public async Task Token_is_shown_once_works_as_bearer_and_is_stored_only_as_a_hash()
    {
        var user = await host.UserAsync(TestRole.Student);
        var created = await CreateAsync(user);
        Assert.StartsWith(AccessTokenService.Prefix, created.Token, StringComparison.Ordinal);
        Assert.True(created.Token.Length >= 40);
        Assert.True(created.ExpiresAt > DateTime.UtcNow.AddDays(29) && created.ExpiresAt < DateTime.UtcNow.AddDays(31));

        var me = await Bearer(host, created.Token).MeAsync();
        Assert.Equal((user.Id, user.Email), (me.Id, me.Email));

        var listBody = await user.Client.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(created.Token, listBody, StringComparison.Ordinal);
        var listed = Assert.Single(System.Text.Json.JsonSerializer.Deserialize<TokenDto[]>(listBody, System.Text.Json.JsonSerializerOptions.Web)!);
        Assert.Equal((created.Id, "laptop cli", created.Token[..10]), (listed.Id, listed.Name, listed.Prefix));
        Assert.NotNull(listed.LastUsedAt);

        var row = await host.WithDbAsync(db => db.PersonalAccessTokens.AsNoTracking().SingleAsync(t => t.Id == created.Id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Token))), row.TokenHash);
        Assert.DoesNotContain(created.Token, string.Join("|", row.Name, row.Prefix, row.TokenHash), StringComparison.Ordinal);
        Assert.Equal(10, row.Prefix.Length);
    }

    [Fact]
    public async Task Bearer_token_reaches_other_routes_with_the_users_role_and_no_cookie_is_set()
    {
        var user = await host.UserAsync(TestRole.Student);
        var admin = await host.AdminAsync();
        var client = Bearer(host, (await CreateAsync(user)).Token);
        var response = await client.GetAsync("/api/v1/tokens");
        await response.StatusAsync(HttpStatusCode.OK);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        await (await client.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.Forbidden);

        var adminClient = Bearer(host, (await CreateAsync(admin)).Token);
        await (await adminClient.GetAsync("/api/v1/admin/users")).StatusAsync(HttpStatusCode.OK);
        // A token can change the password without being turned into a cookie session.
        var change = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = user.Password, newPassword = "token-changed-7" });
        await change.StatusAsync(HttpStatusCode.NoContent);
        Assert.False(change.Headers.Contains("Set-Cookie"));
        await (await client.GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoked_unknown_and_malformed_tokens_are_401()
    {
        var user = await host.UserAsync(TestRole.Student);
        var other = await host.UserAsync(TestRole.Student);
        var created = await CreateAsync(user);

        // Another user cannot revoke it: not found, and it keeps working.
        await (await other.Client.DeleteAsync($"/api/v1/tokens/{created.Id}")).StatusAsync(HttpStatusCode.NotFound);
        await (await Bearer(host, created.Token).GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.OK);

        await (await user.Client.DeleteAsync($"/api/v1/tokens/{created.Id}")).StatusAsync(HttpStatusCode.NoContent);
        await (await Bearer(host, created.Token).GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        // Revoking again is harmless; the list shows it revoked.
        await (await user.Client.DeleteAsync($"/api/v1/tokens/{created.Id}")).StatusAsync(HttpStatusCode.NoContent);
        var listed = Assert.Single((await user.Client.GetFromJsonAsync<TokenDto[]>("/api/v1/tokens"))!);
        Assert.NotNull(listed.RevokedAt);

        await (await Bearer(host, AccessTokenService.Prefix + "made-up-token-value").GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await Bearer(host, new string('x', 300)).GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        // A bad bearer token is not rescued by a valid cookie sent along.
        var both = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Token);
        await (await user.Client.SendAsync(both)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var clock = new FakeTimeProvider();
        var timed = host.Derive(s => s.AddSingleton<TimeProvider>(clock));
        var user = await timed.UserAsync(TestRole.Student);
        var created = await CreateAsync(user, days: 1);
        await (await Bearer(timed, created.Token).GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        await (await Bearer(timed, created.Token).GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromMinutes(2));
        await (await Bearer(timed, created.Token).GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        // An expired token no longer counts against the user's limit of active tokens either.
        await (await user.Client.PostAsJsonAsync("/api/v1/tokens", new { name = "next", expiresInDays = 1 })).StatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Token_of_a_disabled_user_is_401_and_works_again_when_enabled()
    {
        var user = await host.UserAsync(TestRole.Student);
        var admin = await host.AdminAsync();
        var created = await CreateAsync(user);
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/disable", null)).StatusAsync(HttpStatusCode.OK);
        await (await Bearer(host, created.Token).GetAsync("/api/v1/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/enable", null)).StatusAsync(HttpStatusCode.OK);
        await (await Bearer(host, created.Token).GetAsync("/api/v1/me")).StatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Pending_educator_can_create_and_use_a_token()
    {
        var pending = await host.UserAsync(TestRole.PendingEducator);
        var me = await Bearer(host, (await CreateAsync(pending)).Token).MeAsync();
        Assert.Equal("pending", me.Status);
    }
}

public sealed class SqliteAccessTokenTests(SqliteHost host) : AccessTokenTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresAccessTokenTests(PostgresHost host) : AccessTokenTests(host), IClassFixture<PostgresHost>;
