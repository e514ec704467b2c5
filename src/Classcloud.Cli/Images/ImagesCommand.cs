using Classcloud.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Classcloud.Cli.Images;

/// <summary>
/// <c>classcloud images build [--registry ADDR] [--recipes DIR] [--engine ENDPOINT] [name…]</c>:
/// builds the system images on the local engine and pushes them to the registry. Runs on the
/// Classcloud host (it talks to the engine directly), not inside a workspace. A registry that wants
/// credentials (Harbor, a registry with htpasswd) gets the same ones the server uses: the environment
/// variables <c>Classcloud__Platform__Registry__Username</c> and <c>__Password</c>, or <c>--username</c>
/// with the password on standard input (<c>--password-stdin</c>) — never on the command line, where
/// every user of the host could read it in the process list.
/// </summary>
internal static class ImagesCommand
{
    public const string Usage = "classcloud images build [--registry 127.0.0.1:5000] [--username NAME --password-stdin] [--recipes DIR] [--engine unix:///var/run/docker.sock] [name…]";

    public const string UsernameVariable = "Classcloud__Platform__Registry__Username";
    public const string PasswordVariable = "Classcloud__Platform__Registry__Password";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] != "build")
        {
            await stderr.WriteLineAsync($"classcloud: usage: {Usage}");
            return 2;
        }
        var registry = "127.0.0.1:5000";
        var engine = Environment.GetEnvironmentVariable("CLASSCLOUD_DOCKER_ENDPOINT") is { Length: > 0 } e ? e : "unix:///var/run/docker.sock";
        string? recipes = null;
        var username = Environment.GetEnvironmentVariable(UsernameVariable) is { Length: > 0 } u ? u : null;
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        var passwordFromStdin = false;
        var names = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--registry" when i + 1 < args.Count: registry = args[++i]; break;
                case "--recipes" when i + 1 < args.Count: recipes = args[++i]; break;
                case "--engine" when i + 1 < args.Count: engine = args[++i]; break;
                case "--username" when i + 1 < args.Count: username = args[++i]; break;
                case "--password-stdin": passwordFromStdin = true; break;
                case var option when option.StartsWith('-'):
                    await stderr.WriteLineAsync($"classcloud: unknown option '{option}'; usage: {Usage}");
                    return 2;
                default: names.Add(args[i]); break;
            }
        }
        if (!ImageNames.IsValidRegistry(registry))
        {
            return await FailAsync(stderr, 2, $"'{registry}' is not a registry address (host or host:port, lower case).");
        }
        if (passwordFromStdin)
        {
            password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r');
        }
        if (username is not null && string.IsNullOrEmpty(password))
        {
            return await FailAsync(stderr, 2, $"a registry user name without a password; give it with --password-stdin or {PasswordVariable}.");
        }
        var credentials = username is null ? null : new RegistryCredentials(registry, username, password!);
        recipes ??= Recipes.FindDefaultDirectory();
        if (recipes is null || !Directory.Exists(recipes))
        {
            return await FailAsync(stderr, 2, recipes is null
                ? "no images/ folder found next to the current directory or the program; give one with --recipes DIR."
                : $"the recipes folder '{recipes}' does not exist.");
        }
        var (order, unknown) = Recipes.Select(Recipes.List(recipes), names);
        if (unknown.Count > 0)
        {
            var known = string.Join(", ", Recipes.List(recipes).Select(r => r.Name));
            return await FailAsync(stderr, 2, $"no recipe named {string.Join(", ", unknown.Select(n => $"'{n}'"))} in {recipes} (there are: {known}).");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Docker:Endpoint"] = engine }).Build();
        await using var services = new ServiceCollection().AddContainerPlatform(configuration).BuildServiceProvider();
        var platform = services.GetRequiredService<IContainerPlatform>();
        try
        {
            var info = await platform.GetEngineInfoAsync(ct);
            await stdout.WriteLineAsync($"==> Engine {info.Version} at {engine}; registry {registry}; recipes in {recipes}");
            if (await RegistryProblemAsync(registry, credentials is not null, ct) is { } problem)
            {
                return await FailAsync(stderr, 1, problem);
            }
            var socket = engine.StartsWith("unix://", StringComparison.Ordinal) ? engine["unix://".Length..] : null;
            await new ImageBuilder(platform, registry, credentials, socket, stdout).BuildAsync(order, ct);
            return 0;
        }
        catch (PlatformUnavailableException ex)
        {
            return await FailAsync(stderr, 1, $"the container engine at {engine} does not answer ({ex.Message}).");
        }
        catch (PlatformException ex)
        {
            return await FailAsync(stderr, 1, $"the engine refused: {ex.Message}");
        }
        catch (BuildFailedException ex)
        {
            return await FailAsync(stderr, 1, ex.Message);
        }
    }

    /// <summary>
    /// Any HTTP answer on /v2/ means the registry is there; a 401 with no credentials at hand is said
    /// now, in one sentence, instead of as the engine's message after a twenty-minute build.
    /// </summary>
    static async Task<string?> RegistryProblemAsync(string registry, bool haveCredentials, CancellationToken ct)
    {
        var host = registry.Split(':')[0];
        var scheme = host is "localhost" || host.StartsWith("127.", StringComparison.Ordinal) ? "http" : "https";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(new Uri($"{scheme}://{registry}/v2/"), ct);
            return response.StatusCode == System.Net.HttpStatusCode.Unauthorized && !haveCredentials
                ? $"the registry at {registry} wants credentials; set {UsernameVariable} and {PasswordVariable}, or use --username with --password-stdin."
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"the registry at {registry} does not answer ({ex.Message}); start it first (./run.sh does).";
        }
    }

    static async Task<int> FailAsync(TextWriter stderr, int code, string sentence)
    {
        await stderr.WriteLineAsync($"classcloud: {sentence}");
        return code;
    }
}
