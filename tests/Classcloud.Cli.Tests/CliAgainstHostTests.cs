using System.Net;

namespace Classcloud.Cli.Tests;

/// <summary>The `classcloud` command against the real host over a real socket, with a token made through the API.</summary>
[Collection(CliEnvironment.Name)]
public sealed class CliAgainstHostTests(CliHost host) : IClassFixture<CliHost>, IDisposable
{
    readonly string home = Path.Combine(Path.GetTempPath(), "classcloud-cli-" + Guid.NewGuid().ToString("N"));

    string NewConfigPath() => Path.Combine(home, Guid.NewGuid().ToString("N"), "config.json");

    public void Dispose()
    {
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }
    }

    static async Task<(int Code, string Out, string Err)> RunAsync(string configPath, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, stdout, stderr, configPath, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    string Url => host.Address.ToString().TrimEnd('/');

    [Fact]
    public async Task Login_saves_the_token_and_whoami_shows_the_account()
    {
        var (_, email, token) = await host.StudentWithTokenAsync();
        var config = NewConfigPath();

        var login = await RunAsync(config, "login", Url, token.Token);
        Assert.Equal((0, $"Signed in as {email}.\n", ""), login);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));

        var whoami = await RunAsync(config, "whoami");
        Assert.Equal((0, $"{email} (CLI Student, student, active)\n", ""), whoami);
    }

    [Fact]
    public async Task Whoami_uses_CLASSCLOUD_URL_and_CLASSCLOUD_TOKEN()
    {
        var (_, email, token) = await host.StudentWithTokenAsync();
        Environment.SetEnvironmentVariable("CLASSCLOUD_URL", Url);
        Environment.SetEnvironmentVariable("CLASSCLOUD_TOKEN", token.Token);
        try
        {
            var whoami = await RunAsync(NewConfigPath(), "whoami");
            Assert.Equal((0, $"{email} (CLI Student, student, active)\n", ""), whoami);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLASSCLOUD_URL", null);
            Environment.SetEnvironmentVariable("CLASSCLOUD_TOKEN", null);
        }
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        var (client, _, token) = await host.StudentWithTokenAsync();
        var config = NewConfigPath();
        Assert.Equal(0, (await RunAsync(config, "login", Url, token.Token)).Code);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/tokens/{token.Id}")).StatusCode);
        var whoami = await RunAsync(config, "whoami");
        Assert.Equal(1, whoami.Code);
        Assert.Equal("", whoami.Out);
        Assert.Contains("refused", whoami.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_an_unknown_token_is_refused_and_saves_nothing()
    {
        var config = NewConfigPath();
        var login = await RunAsync(config, "login", Url, "ccp_not-a-real-token");
        Assert.Equal(1, login.Code);
        Assert.Contains("refused", login.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(config));
    }
}
