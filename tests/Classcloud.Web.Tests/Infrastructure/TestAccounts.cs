using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Infrastructure;

public enum TestRole
{
    Anonymous,
    Student,
    PendingEducator,
    Educator,
    Admin,
}

/// <summary>A signed-in (or anonymous) client and who it is.</summary>
public sealed record TestUser(HttpClient Client, long Id, string Email, string Password, TestRole Role);

/// <summary>Creates users through the real flows (sign-up, mailed link, approval, sign-in).</summary>
public static class TestAccounts
{
    public const string Password = "correct-horse-7";

    public static string NewEmail(string tag = "user") => $"{tag}-{Guid.NewGuid():N}"[..30] + "@school.ac.kr";

    public static async Task<TestUser> AdminAsync(this ClasscloudHost host)
    {
        var client = host.NewClient();
        var password = host.AdminPassword;
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = InitialAdministrator.Email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<MeDto>();
        return new TestUser(client, me!.Id, InitialAdministrator.Email, password, TestRole.Admin);
    }

    /// <summary>Signs up, follows the mailed link, gets approved if an educator, and signs in.</summary>
    public static async Task<TestUser> UserAsync(this ClasscloudHost host, TestRole role, string? email = null)
    {
        if (role == TestRole.Anonymous)
        {
            return new TestUser(host.NewClient(), 0, "", "", role);
        }
        if (role == TestRole.Admin)
        {
            return await host.AdminAsync();
        }
        email ??= NewEmail(role.ToString().ToLowerInvariant());
        var client = host.NewClient();
        var apiRole = role == TestRole.Student ? "student" : "educator";
        var register = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = Password, name = "Test " + role, nickname = role.ToString(), role = apiRole });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var me = (await register.Content.ReadFromJsonAsync<MeDto>())!;
        var token = await host.LatestTokenAsync(email, "/verify");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);
        if (role == TestRole.Educator)
        {
            var admin = await host.AdminAsync();
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync($"/api/v1/admin/users/{me.Id}/approve", null)).StatusCode);
        }
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return new TestUser(client, me.Id, email, Password, role);
    }

    /// <summary>Direct database access for assertions about what was (not) stored.</summary>
    public static async Task<T> WithDbAsync<T>(this ClasscloudHost host, Func<ClasscloudDb, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ClasscloudDb>());
    }

    public static Task<bool> UserExistsAsync(this ClasscloudHost host, string email) =>
        host.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email));
}

/// <summary>Small request helpers the account tests share.</summary>
public static class AccountRequests
{
    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string role = "student",
        string password = TestAccounts.Password, string name = "Test Person", string nickname = "tester") =>
        client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, name, nickname, role });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = TestAccounts.Password) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    public static Task<HttpResponseMessage> VerifyAsync(this HttpClient client, string token) =>
        client.PostAsJsonAsync("/api/v1/auth/verify", new { token });

    public static async Task<MeDto> MeAsync(this HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<MeDto>())!;
    }

    public static Task<User?> FindUserAsync(this ClasscloudHost host, string email) =>
        host.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == email));

    public static Task<int> UserCountAsync(this ClasscloudHost host) => host.WithDbAsync(db => db.Users.CountAsync());
}
