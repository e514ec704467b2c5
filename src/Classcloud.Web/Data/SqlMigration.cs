using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Classcloud.Web.Data;

/// <summary>
/// A migration whose body is a hand-written SQL script per provider, embedded from
/// Data/Migrations/{Sqlite|Postgres}/{migration id}.sql. EF Core's runtime applies and records it;
/// its design-time tooling (which would write C# migrations) cannot be restored here (DESIGN.md §4).
/// MigrationSchemaTests prove that the scripts build exactly the model's schema on both providers.
/// Migrations are forward-only: restore a backup to go back.
/// </summary>
public abstract class SqlMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var id = GetType().GetCustomAttribute<MigrationAttribute>()?.Id
            ?? throw new InvalidOperationException($"{GetType().Name} lacks a [Migration] attribute.");
        var folder = migrationBuilder.ActiveProvider switch
        {
            "Microsoft.EntityFrameworkCore.Sqlite" => "Sqlite",
            "Npgsql.EntityFrameworkCore.PostgreSQL" => "Postgres",
            var other => throw new NotSupportedException($"No migration scripts for provider {other}."),
        };
        var resource = $"Classcloud.Web.Data.Migrations.{folder}.{id}.sql";
        using var stream = typeof(SqlMigration).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration script {resource} is missing.");
        using var reader = new StreamReader(stream);
        migrationBuilder.Sql(reader.ReadToEnd());
    }
}
