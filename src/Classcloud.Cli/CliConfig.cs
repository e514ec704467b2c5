using System.Text.Json;

namespace Classcloud.Cli;

/// <summary>Server address and token, saved by `classcloud login` in ~/.config/classcloud/config.json (mode 0600).</summary>
internal sealed record CliConfig(string Url, string Token)
{
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("CLASSCLOUD_CONFIG") is { Length: > 0 } path ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "classcloud", "config.json");

    public static async Task<CliConfig?> LoadAsync(string path, CancellationToken ct)
    {
        var url = Environment.GetEnvironmentVariable("CLASSCLOUD_URL");
        var token = Environment.GetEnvironmentVariable("CLASSCLOUD_TOKEN");
        if (!string.IsNullOrEmpty(url) && !string.IsNullOrEmpty(token))
        {
            return new CliConfig(url, token);
        }
        if (!File.Exists(path))
        {
            return null;
        }
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<CliConfig>(stream, cancellationToken: ct);
    }

    public async Task SaveAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(path, options);
        await JsonSerializer.SerializeAsync(stream, this, cancellationToken: ct);
    }
}
