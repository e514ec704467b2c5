using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Accounts;

public abstract class RegistrationTests(ClasscloudHost host)
{
    [Fact]
    public async Task Sign_up_then_mailed_link_then_sign_in()
    {
        var client = host.NewClient();
        var email = TestAccounts.NewEmail();
        var register = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = TestAccounts.Password, name = "김학생", nickname = "kim", role = "student" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal("unverified", (await register.Content.ReadFromJsonAsync<MeDto>())!.Status);

        var early = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);

        var token = await host.LatestTokenAsync(email, "/verify");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/auth/verify", new { token })).StatusCode);

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var me = await client.GetFromJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(email, me!.Email);
        Assert.Equal("김학생", me.Name);
        Assert.Equal("active", me.Status);
        Assert.Equal("student", me.Role);
    }
}

public sealed class SqliteRegistrationTests(SqliteHost host) : RegistrationTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresRegistrationTests(PostgresHost host) : RegistrationTests(host), IClassFixture<PostgresHost>;
