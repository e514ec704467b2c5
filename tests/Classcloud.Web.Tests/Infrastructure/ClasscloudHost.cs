using System.Net;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Web.Tests.Infrastructure;

/// <summary>
/// The real host (WebApplicationFactory) on a fresh database of one provider, with its own data
/// directory. Subclasses pick the provider; tests get it as a class fixture and make their own data.
/// </summary>
public abstract class ClasscloudHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The address TestServer requests come from (it sets none by itself), so audit entries and rate limits see one.</summary>
    public static readonly IPAddress ClientAddress = IPAddress.Parse("192.0.2.10");

    readonly Dictionary<string, string?> settings = new();
    readonly List<ClasscloudHost> derived = [];

    protected ClasscloudHost(DatabaseProvider provider)
    {
        Provider = provider;
        DataDirectory = Directory.CreateTempSubdirectory("classcloud-test-").FullName;
        NameOwnMeter();
    }

    ClasscloudHost(ClasscloudHost parent, Action<IServiceCollection>? services)
    {
        Provider = parent.Provider;
        DataDirectory = parent.DataDirectory;
        ConnectionString = parent.ConnectionString;
        TestServices = services;
    }

    public DatabaseProvider Provider { get; }

    public string DataDirectory { get; }

    protected string? ConnectionString { get; set; }

    /// <summary>Extra services for this host (e.g. a fake clock), applied after the app's own.</summary>
    protected Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Extra configuration for a test class (set before the first client is created).</summary>
    public void Configure(string key, string? value) => settings[key] = value;

    /// <summary>
    /// A second host process-alike on the same data directory and database, with other services or
    /// settings (a fake clock, a deletion guard, a tighter rate limit). Disposed with this host.
    /// </summary>
    /// <param name="kestrel">Serve over real Kestrel on a loopback port (use CreateClient), where TestServer differs from production.</param>
    public ClasscloudHost Derive(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? configuration = null, bool kestrel = false)
    {
        var child = new DerivedHost(this, services);
        if (kestrel)
        {
            child.UseKestrel(0);
        }
        foreach (var (key, value) in settings)
        {
            child.settings[key] = value;
        }
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            child.settings[key] = value;
        }
        child.NameOwnMeter();
        lock (derived)
        {
            derived.Add(child);
        }
        return child;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// OpenTelemetry listens to meters by name across the process: with one name, every host in this
    /// test process would export (and, on dispose, silence) the others' metrics.
    /// </summary>
    void NameOwnMeter() => settings["Classcloud:Metrics:MeterName"] = $"Classcloud.Test.{Guid.NewGuid():N}";

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var child in derived)
        {
            await child.DisposeAsync();
        }
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
                // Daily digests on the real clock would land in other tests' mailboxes; NotificationMailTests turn them on.
                ["Classcloud:Notifications:DigestEnabled"] = "false",
                ["Classcloud:Limits:AuthRequestsPerMinute"] = "100000",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings)
            {
                values[key] = value;
            }
            config.AddInMemoryCollection(values);
        });
        if (TestServices is { } services)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Where a Kestrel-served host listens (set by hosts that serve a real browser); null on the in-memory server.</summary>
    protected Uri? RealAddress { get; set; }

    /// <summary>A client with its own cookie jar, on https so Secure cookies behave as in production.</summary>
    public HttpClient NewClient() => NewClient(ClientAddress);

    /// <summary>A client whose requests come from the given address, with its own cookie jar (or none).</summary>
    public HttpClient NewClient(IPAddress remoteAddress, bool cookies = true)
    {
        if (RealAddress is { } real)
        {
            // Served by Kestrel (browser tests): a real HTTP client; the remote address is loopback.
            return new HttpClient(new SocketsHttpHandler { UseCookies = cookies, CookieContainer = new CookieContainer() }) { BaseAddress = real };
        }
        HttpMessageHandler handler = Server.CreateHandler(context => context.Connection.RemoteIpAddress = remoteAddress);
        if (cookies)
        {
            handler = new CookieContainerHandler { InnerHandler = handler };
        }
        return new HttpClient(handler) { BaseAddress = new Uri("https://localhost") };
    }

    /// <summary>The password of admin@localhost, as the first start wrote it.</summary>
    public string AdminPassword
    {
        get
        {
            _ = Services; // make sure the host has started and seeded
            return File.ReadAllText(Path.Combine(DataDirectory, "initial-admin-password")).Trim();
        }
    }

    /// <summary>Shares the parent's data directory and database; the parent owns and removes them.</summary>
    sealed class DerivedHost(ClasscloudHost parent, Action<IServiceCollection>? services) : ClasscloudHost(parent, services);
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
