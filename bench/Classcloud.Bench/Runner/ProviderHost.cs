namespace Classcloud.Bench.Runner;

/// <summary>
/// The host process on one provider: a fresh PostgreSQL database (dropped afterwards) or the
/// SQLite file in the host's own data directory. Benchmarks that seed data directly reach the
/// same database through <see cref="Provider"/> and <see cref="DatabaseConnectionString"/>.
/// </summary>
internal sealed class ProviderHost : IAsyncDisposable
{
    readonly PostgresDatabase? database;

    ProviderHost(string provider, HostProcess host, PostgresDatabase? database)
    {
        Provider = provider;
        Host = host;
        this.database = database;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider { get; }

    public HostProcess Host { get; }

    /// <summary>The connection string of the database the host uses.</summary>
    public string DatabaseConnectionString => database?.ConnectionString
        ?? $"Data Source={Path.Combine(Host.DataDirectory, "classcloud.db")}";

    public static async Task<ProviderHost> StartAsync(
        string provider, BenchOptions options, string hostDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var all = new Dictionary<string, string>(settings);
        var database = provider == "postgres" ? await PostgresDatabase.CreateAsync(options.PostgresAdmin, ct) : null;
        try
        {
            if (database is not null)
            {
                all["Classcloud__Database__Provider"] = "Postgres";
                all["Classcloud__Database__ConnectionString"] = database.ConnectionString;
            }
            ScenarioRounds.Progress($"{provider}: starting the host");
            var host = await HostProcess.StartAsync(hostDll, all, ct);
            ScenarioRounds.Progress($"{provider}: host ready at {host.Address}");
            return new ProviderHost(provider, host, database);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host first: dropping its database while it is connected would fail.
        await Host.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
