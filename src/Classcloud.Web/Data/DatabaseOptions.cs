using Microsoft.Extensions.Options;

namespace Classcloud.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Classcloud:Database — SQLite under the data directory by default, PostgreSQL in production.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Classcloud:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty for SQLite means "classcloud.db in the data directory"; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Classcloud:Database:ConnectionString is required when Classcloud:Database:Provider is Postgres.")
            : ValidateOptionsResult.Success;
}
