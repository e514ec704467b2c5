using System.Net.Http.Headers;
using System.Text.Json;

namespace Classcloud.Cli;

/// <summary>The command table. Each command returns the process exit code.</summary>
internal static class CliApp
{
    const string Usage = """
        classcloud — Classcloud command line

          classcloud login <url> <token>   save the server address and a personal access token
          classcloud whoami                show the signed-in account
          classcloud version               show the version
          classcloud images build [name…]  build the system images and push them (on the Classcloud host;
                                           --registry ADDR, --recipes DIR, --engine ENDPOINT)
          classcloud backup create <file>  back up the database, files, workspace homes (on the Classcloud host,
                                           with the environment of ./run.sh; --include-key, --without-registry)
          classcloud backup restore <file> restore onto an empty data directory (--force to replace; --key FILE)

        The token comes from My page → Access tokens. CLASSCLOUD_URL and CLASSCLOUD_TOKEN override the saved values.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string configPath, CancellationToken ct)
    {
        switch (args.FirstOrDefault())
        {
            case "login" when args.Length == 3:
                return await LoginAsync(args[1], args[2], stdout, stderr, configPath, ct);
            case "whoami":
                return await WhoAmIAsync(stdout, stderr, configPath, ct);
            case "images":
                return await Images.ImagesCommand.RunAsync(args[1..], stdout, stderr, ct);
            case "backup":
                return await Backup.BackupCommand.RunAsync(args[1..], stdout, stderr, ct);
            case "version":
                await stdout.WriteLineAsync(typeof(CliApp).Assembly.GetName().Version?.ToString() ?? "unknown");
                return 0;
            case null or "help" or "--help" or "-h":
                await stdout.WriteLineAsync(Usage);
                return 0;
            default:
                await stderr.WriteLineAsync($"classcloud: unknown command '{string.Join(' ', args)}'.\n\n{Usage}");
                return 2;
        }
    }

    static async Task<int> LoginAsync(string url, string token, TextWriter stdout, TextWriter stderr, string configPath, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await stderr.WriteLineAsync($"classcloud: '{url}' is not an http(s) address.");
            return 2;
        }
        var config = new CliConfig(uri.ToString().TrimEnd('/'), token);
        var me = await GetMeAsync(config, stderr, ct);
        if (me is null)
        {
            return 1;
        }
        await config.SaveAsync(configPath, ct);
        await stdout.WriteLineAsync($"Signed in as {me.Value.GetProperty("email").GetString()}.");
        return 0;
    }

    static async Task<int> WhoAmIAsync(TextWriter stdout, TextWriter stderr, string configPath, CancellationToken ct)
    {
        var config = await CliConfig.LoadAsync(configPath, ct);
        if (config is null)
        {
            await stderr.WriteLineAsync("classcloud: not signed in; run `classcloud login <url> <token>` first.");
            return 1;
        }
        var me = await GetMeAsync(config, stderr, ct);
        if (me is null)
        {
            return 1;
        }
        var m = me.Value;
        await stdout.WriteLineAsync($"{m.GetProperty("email").GetString()} ({m.GetProperty("name").GetString()}, {m.GetProperty("role").GetString()}, {m.GetProperty("status").GetString()})");
        return 0;
    }

    static async Task<JsonElement?> GetMeAsync(CliConfig config, TextWriter stderr, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(config.Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.Token);
        try
        {
            using var response = await http.GetAsync("api/v1/me", ct);
            if (!response.IsSuccessStatusCode)
            {
                await stderr.WriteLineAsync(response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? "classcloud: the token was refused (unknown, revoked or expired)."
                    : $"classcloud: the server answered {(int)response.StatusCode}.");
                return null;
            }
            return await response.Content.ReadFromJsonAsync(ct);
        }
        catch (HttpRequestException ex)
        {
            await stderr.WriteLineAsync($"classcloud: cannot reach {config.Url}: {ex.Message}");
            return null;
        }
    }

    static async Task<JsonElement> ReadFromJsonAsync(this HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        return doc.RootElement.Clone();
    }
}
