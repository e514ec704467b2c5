using Classcloud.Platform;
using Microsoft.Extensions.Configuration;

namespace Classcloud.Cli.Backup;

/// <summary>
/// Where an install keeps its state, read from the same settings the server reads (the environment
/// of <c>./run.sh</c>: <c>CLASSCLOUD_DATA</c> and <c>Classcloud__*</c> variables). The CLI does not
/// reference the server project (it would pull ASP.NET Core into a small tool), so these few lookups
/// mirror <c>ClasscloudOptions</c>, <c>DatabaseOptions</c>, <c>KeyEncryptionOptions</c>,
/// <c>ControllerOptions.Scope</c> and <c>WorkspacesOptions</c>; their defaults must stay equal.
/// </summary>
internal sealed record BackupSettings
{
    public required string DataDirectory { get; init; }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The configured connection string; empty for the default SQLite file.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The configured key-encryption key file; empty for the default under the data directory.</summary>
    public string? ConfiguredKeyFile { get; init; }

    /// <summary>The controller scope: home volumes carry it as a label and in their names.</summary>
    public required string Scope { get; init; }

    /// <summary>An image with <c>tar</c> whose home path belongs to the workspace user: the helper that reads and writes homes.</summary>
    public required string HelperImage { get; init; }

    public required string HomePath { get; init; }

    /// <summary>The <c>Classcloud:Platform</c> section, for the engine driver.</summary>
    public required IConfiguration Platform { get; init; }

    public required RegistryOptions Registry { get; init; }

    public bool IsPostgres => Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQLite database file (the default <c>classcloud.db</c> in the data directory, or the connection string's).</summary>
    public string SqliteFile => string.IsNullOrWhiteSpace(ConnectionString)
        ? Path.Combine(DataDirectory, "classcloud.db")
        : Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource);

    public string KeyFile => string.IsNullOrWhiteSpace(ConfiguredKeyFile)
        ? Path.Combine(DataDirectory, "keys", "key-encryption.key")
        : Path.GetFullPath(ConfiguredKeyFile);

    /// <summary>
    /// The environment as configuration, the way the server reads it: <c>Classcloud__Database__Provider</c>
    /// is <c>Classcloud:Database:Provider</c>, and <c>CLASSCLOUD_DATA</c> counts below an explicit
    /// <c>Classcloud__DataDirectory</c> (the server's EnvironmentConfiguration). Read by hand rather than
    /// with the environment-variables provider: one package fewer for the same dozen lines.
    /// </summary>
    public static IConfiguration FromEnvironment()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable("CLASSCLOUD_DATA") is { Length: > 0 } data)
        {
            values["Classcloud:DataDirectory"] = data;
        }
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith("Classcloud__", StringComparison.OrdinalIgnoreCase))
            {
                values[key.Replace("__", ":", StringComparison.Ordinal)] = variable.Value as string;
            }
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public static BackupSettings From(IConfiguration configuration)
    {
        var platform = configuration.GetSection("Classcloud:Platform");
        var registry = platform.GetSection("Registry").Get<RegistryOptions>() ?? new RegistryOptions();
        var workspaces = configuration.GetSection("Classcloud:Workspaces");
        return new BackupSettings
        {
            DataDirectory = Path.GetFullPath(configuration["Classcloud:DataDirectory"] is { Length: > 0 } d ? d : "data"),
            Provider = configuration["Classcloud:Database:Provider"] is { Length: > 0 } p ? p : "Sqlite",
            ConnectionString = configuration["Classcloud:Database:ConnectionString"],
            ConfiguredKeyFile = configuration["Classcloud:DataProtection:KeyFile"],
            Scope = configuration["Classcloud:Controller:Scope"] is { Length: > 0 } s ? s : "classcloud",
            HelperImage = workspaces["TerminalImage"] is { Length: > 0 } image ? image : ImageNames.System(registry.Address, "terminal", "latest").ToString(),
            HomePath = workspaces["HomePath"] is { Length: > 0 } home ? home : "/home/classcloud",
            Platform = platform,
            Registry = registry,
        };
    }
}
