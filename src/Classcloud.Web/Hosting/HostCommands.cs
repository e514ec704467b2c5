using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Hosting;

/// <summary>
/// Developer commands that run instead of the server. `schema sqlite|postgres` prints the create
/// script of the current model: the starting point for a hand-written migration, since EF Core's
/// design-time tooling cannot be restored here (DESIGN.md §4).
/// </summary>
internal static class HostCommands
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length < 1 || args[0] != "schema")
        {
            return false;
        }
        var provider = args.Length > 1 ? args[1] : "sqlite";
        var options = new DbContextOptionsBuilder<ClasscloudDb>();
        switch (provider)
        {
            case "sqlite":
                options.UseSqlite("Data Source=:memory:");
                break;
            case "postgres":
                options.UseNpgsql("Host=localhost");
                break;
            default:
                Console.Error.WriteLine($"schema: unknown provider '{provider}'; use sqlite or postgres.");
                exitCode = 2;
                return true;
        }
        using var db = new ClasscloudDb(options.Options);
        Console.WriteLine(db.Database.GenerateCreateScript());
        return true;
    }
}
