using Classcloud.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The real host (WebApplicationFactory) on a fresh database of one provider, with its own data
/// directory. Subclasses pick the provider; tests get it as a class fixture and make their own data.
/// </summary>
public abstract class ClasscloudHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    readonly Dictionary<string, string?> settings = new();

    protected ClasscloudHost(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("classcloud-test-").FullName;

    protected string? ConnectionString { get; set; }

    /// <summary>Extra configuration for a test class (set before the first client is created).</summary>
    public void Configure(string key, string? value) => settings[key] = value;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await CleanUpAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a background thread; the temp folder is cleaned by the OS.
        }
    }

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Host settings reach WebApplicationBuilder.Configuration before Program's own code reads it
        // (e.g. Classcloud:Platform:Enabled); app configuration below is applied only at Build().
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Classcloud:DataDirectory"] = DataDirectory,
                ["Classcloud:Database:Provider"] = Provider.ToString(),
                ["Classcloud:Database:ConnectionString"] = ConnectionString,
                ["Classcloud:Mail:Mode"] = "Pickup",
                ["Classcloud:Limits:AuthRequestsPerMinute"] = "100000",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings)
            {
                values[key] = value;
            }
            config.AddInMemoryCollection(values);
        });
    }

    /// <summary>A client with its own cookie jar, on https so Secure cookies behave as in production.</summary>
    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    /// <summary>The password of admin@localhost, as the first start wrote it.</summary>
    public string AdminPassword
    {
        get
        {
            _ = Services; // make sure the host has started and seeded
            return File.ReadAllText(Path.Combine(DataDirectory, "initial-admin-password")).Trim();
        }
    }
}

public sealed class SqliteHost : ClasscloudHost
{
    public SqliteHost() : base(DatabaseProvider.Sqlite)
    {
    }
}

public sealed class PostgresHost : ClasscloudHost
{
    public PostgresHost() : base(DatabaseProvider.Postgres)
    {
    }

    public override async Task InitializeAsync() => ConnectionString = await TestDatabases.CreatePostgresAsync("cc_test", CancellationToken.None);

    protected override async Task CleanUpAsync()
    {
        if (ConnectionString is not null)
        {
            await TestDatabases.DropPostgresAsync(ConnectionString);
        }
    }
}
