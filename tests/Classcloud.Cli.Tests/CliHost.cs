using System.Net;
using System.Net.Http.Json;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Cli.Tests;

/// <summary>
/// The CLI tests that read or change CLASSCLOUD_URL / CLASSCLOUD_TOKEN run one at a time: the
/// environment is shared by the whole test process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliEnvironment
{
    public const string Name = "CLI environment";
}

/// <summary>
/// The real host on SQLite, served by Kestrel on a free loopback port rather than the in-memory
/// TestServer: the CLI makes its own HttpClient to a URL, as it does against a real install.
/// </summary>
public sealed class CliHost : ClasscloudHost
{
    public CliHost() : base(DatabaseProvider.Sqlite) => UseKestrel(0);

    /// <summary>Where the CLI connects, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>A browser-like client over the socket, with its own cookie jar.</summary>
    public HttpClient NewSocketClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };

    /// <summary>
    /// A student made through the real flows (sign-up, mailed link, sign-in) with a personal access
    /// token created through the API, as My page does; the client stays signed in to revoke it.
    /// </summary>
    public async Task<(HttpClient Client, string Email, CreatedTokenDto Token)> StudentWithTokenAsync()
    {
        var client = NewSocketClient();
        var email = TestAccounts.NewEmail("cli");
        var register = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = TestAccounts.Password, name = "CLI Student", nickname = "cli", role = "student" });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var verify = await client.PostAsJsonAsync("/api/v1/auth/verify", new { token = await this.LatestTokenAsync(email, "/verify") });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var created = await client.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (client, email, (await created.Content.ReadFromJsonAsync<CreatedTokenDto>())!);
    }
}
