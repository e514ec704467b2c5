namespace Classcloud.Cli.Tests;

[Collection(CliEnvironment.Name)]
public sealed class CliAppTests
{
    [Fact]
    public async Task Unknown_command_exits_2_with_usage()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["frobnicate"], stdout, stderr, Path.GetTempFileName(), CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_without_login_says_how_to_sign_in()
    {
        var stderr = new StringWriter();
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.json");
        Environment.SetEnvironmentVariable("CLASSCLOUD_TOKEN", null);
        var code = await CliApp.RunAsync(["whoami"], new StringWriter(), stderr, path, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("classcloud login", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_without_a_file_exits_2_with_its_usage()
    {
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["backup", "create"], new StringWriter(), stderr, Path.GetTempFileName(), CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains("classcloud backup create <file>", stderr.ToString(), StringComparison.Ordinal);
    }
}
