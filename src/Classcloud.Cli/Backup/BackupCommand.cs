using Classcloud.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Cli.Backup;

/// <summary>
/// <c>classcloud backup create|restore &lt;file&gt;</c>, run on the Classcloud host with the environment of
/// <c>./run.sh</c> (<c>CLASSCLOUD_DATA</c>, <c>Classcloud__*</c>): it reads the data directory, the
/// database and the engine directly, not through the server. Progress goes to stderr, the summary to stdout.
/// </summary>
internal static class BackupCommand
{
    public const string Usage = """
        classcloud backup create <file> [--include-key] [--without-registry]
        classcloud backup restore <file> [--force] [--key FILE] [--without-key]
        """;

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        RunAsync(args, BackupSettings.FromEnvironment(), stdout, stderr, ct);

    /// <summary>With the configuration given (the tests pass a host's settings instead of the environment).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration configuration, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.Count < 2 || args[0] is not ("create" or "restore") || args[1].StartsWith('-'))
        {
            await stderr.WriteLineAsync($"classcloud: usage:\n{Usage}");
            return 2;
        }
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string? key = null;
        for (var i = 2; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--key" when args[0] == "restore" && i + 1 < args.Count: key = args[++i]; break;
                case "--include-key" or "--without-registry" when args[0] == "create": flags.Add(args[i]); break;
                case "--force" or "--without-key" when args[0] == "restore": flags.Add(args[i]); break;
                default:
                    await stderr.WriteLineAsync($"classcloud: unknown option '{args[i]}'; usage:\n{Usage}");
                    return 2;
            }
        }
        var settings = BackupSettings.From(configuration);
        await using var services = configuration.GetValue<bool>("Classcloud:Platform:Enabled")
            ? new ServiceCollection().AddContainerPlatform(settings.Platform).BuildServiceProvider()
            : null;
        var platform = services?.GetRequiredService<IContainerPlatform>();
        try
        {
            return args[0] == "create"
                ? await new BackupCreator(settings, platform, stdout, stderr).RunAsync(
                    new CreateOptions(args[1], flags.Contains("--include-key"), flags.Contains("--without-registry")), ct)
                : await new BackupRestorer(settings, platform, stdout, stderr).RunAsync(
                    new RestoreOptions(args[1], flags.Contains("--force"), key, flags.Contains("--without-key")), ct);
        }
        catch (Exception ex) when (ex is BackupException or BadBackupException)
        {
            await stderr.WriteLineAsync($"classcloud: {ex.Message}");
            return 1;
        }
        catch (PlatformUnavailableException ex)
        {
            await stderr.WriteLineAsync($"classcloud: the container engine does not answer ({ex.Message}); the homes live there.");
            return 1;
        }
        catch (PlatformException ex)
        {
            await stderr.WriteLineAsync($"classcloud: the engine refused: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException)
        {
            await stderr.WriteLineAsync($"classcloud: {ex.Message}");
            return 1;
        }
    }
}
