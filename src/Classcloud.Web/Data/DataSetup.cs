using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Data;

public static class DataSetup
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        // Features hook into saves and commits by registering EF Core interceptors as singletons.
        builder.Services.AddDbContext<ClasscloudDb>((services, options) =>
        {
            Configure(options, services.GetRequiredService<IOptions<DatabaseOptions>>().Value,
                services.GetRequiredService<IOptions<ClasscloudOptions>>().Value);
            options.AddInterceptors(services.GetServices<IInterceptor>());
        });
        builder.Services.AddSingleton<IReadinessCheck, DatabaseReadiness>();

        builder.Services.AddDataProtection().SetApplicationName("classcloud");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(services.GetRequiredService<IServiceScopeFactory>())));
        builder.Services.AddOptions<KeyEncryptionOptions>().BindConfiguration(KeyEncryptionOptions.Section);
        builder.Services.AddOptions<KeyEncryptionOptions>().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyEncryptionOptions>, KeyEncryptionOptionsValidator>();
        builder.Services.AddSingleton<KeyEncryptionKey>();
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new KeyEncryptor(services.GetRequiredService<KeyEncryptionKey>())));
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseOptions database, ClasscloudOptions classcloud)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Postgres:
                options.UseNpgsql(database.ConnectionString);
                break;
            default:
                options.UseSqlite(string.IsNullOrWhiteSpace(database.ConnectionString)
                    ? $"Data Source={Path.Combine(classcloud.FullDataDirectory, "classcloud.db")}"
                    : database.ConnectionString);
                options.AddInterceptors(SqlitePragmas.Instance);
                break;
        }
        // Without design-time tooling there is no model snapshot to compare against; the schema
        // tests (MigrationSchemaTests) do that comparison instead, on both providers.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>Creates the data directory, applies migrations, and runs every registered first-start seeder.</summary>
    public static async Task PrepareDataAsync(this WebApplication app, CancellationToken ct)
    {
        var classcloud = app.Services.GetRequiredService<IOptions<ClasscloudOptions>>().Value;
        Directory.CreateDirectory(classcloud.FullDataDirectory);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        if (db.Database.IsSqlite())
        {
            await SqlitePragmas.UseWriteAheadLogAsync(db, ct);
        }
        await db.Database.MigrateAsync(ct);
        foreach (var seeder in scope.ServiceProvider.GetServices<IDataSeeder>())
        {
            await seeder.SeedAsync(ct);
        }
    }
}

/// <summary>Work done once the schema is current, on every start (must be idempotent).</summary>
public interface IDataSeeder
{
    Task SeedAsync(CancellationToken ct);
}

internal sealed class DatabaseReadiness(IServiceScopeFactory scopes) : IReadinessCheck
{
    public string Name => "database";

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClasscloudDb>().Database.CanConnectAsync(ct);
    }
}
