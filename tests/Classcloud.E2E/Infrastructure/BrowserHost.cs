using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.E2E.Infrastructure;

/// <summary>
/// The real host on SQLite, served by Kestrel on a free loopback port (not the in-memory test
/// server), so a real browser can reach it. Everything else is ClasscloudHost: a fresh database,
/// its own data directory, mail kept in the outbox for the tests to read.
/// </summary>
public class BrowserHost : ClasscloudHost
{
    public BrowserHost() : base(DatabaseProvider.Sqlite) => UseKestrel(0);

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Address = new Uri(addresses.First());
        RealAddress = Address;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Program.cs makes the content root the folder of the running binary when appsettings.json
        // is there, which under a test runner is this test project's bin folder, without wwwroot.
        // The browser needs the real styles and scripts: serve them from the Web project.
        builder.UseWebRoot(Path.Combine(Artifacts.RepositoryRoot, "src", "Classcloud.Web", "wwwroot"));
    }

    /// <summary>An absolute URL on this host for a path such as "/signin".</summary>
    public string Url(string pathAndQuery) => new Uri(Address, pathAndQuery).ToString();
}
