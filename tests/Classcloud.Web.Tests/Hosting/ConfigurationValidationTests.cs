using System.Diagnostics;

namespace Classcloud.Web.Tests.Hosting;

/// <summary>
/// The real built host, started as a child process the way run.sh starts it: a bad configuration
/// value stops it with exit code 2 and one clear line on stderr naming the key, no stack trace
/// (issue 2: "a bad value stops the host with one clear line naming the key").
/// </summary>
public sealed class ConfigurationValidationTests
{
    /// <summary>The web project's build output, copied beside the test assembly by the project reference.</summary>
    static readonly string HostDll = Path.Combine(AppContext.BaseDirectory, "Classcloud.Web.dll");

    static async Task<(int ExitCode, string[] Errors, string Output)> RunHostAsync(Dictionary<string, string> environment, params string[] args)
    {
        Assert.True(File.Exists(HostDll), $"{HostDll} is missing; build the test project.");
        var data = Directory.CreateTempSubdirectory("classcloud-config-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = data,
        };
        start.ArgumentList.Add(HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CLASSCLOUD_DATA"] = data;
        start.Environment["CLASSCLOUD_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not stop on a bad configuration: {await stdout}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
        var errors = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, errors, await stdout);
    }

    static async Task AssertOneLineAsync(string mustName, Dictionary<string, string> environment, params string[] args)
    {
        var (exitCode, errors, output) = await RunHostAsync(environment, args);
        var all = string.Join("\n", errors) + "\n" + output;
        Assert.True(exitCode == 2, $"exit code {exitCode}; stderr and stdout:\n{all}");
        var line = Assert.Single(errors);
        Assert.StartsWith("classcloud: invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(mustName, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
    }

    [Fact]
    public Task Postgres_without_a_connection_string() =>
        AssertOneLineAsync("Classcloud:Database:ConnectionString", new() { ["Classcloud__Database__Provider"] = "Postgres" });

    [Fact]
    public Task Unknown_role_on_the_command_line() =>
        AssertOneLineAsync("roles: unknown role 'bogus'", [], "--roles", "web,bogus");

    [Fact]
    public Task Unknown_database_provider() =>
        AssertOneLineAsync("Classcloud:Database:Provider", new() { ["Classcloud__Database__Provider"] = "MySql" });

    [Fact]
    public Task Number_that_is_not_a_number() =>
        AssertOneLineAsync("Classcloud:Limits:AuthRequestsPerMinute", new() { ["Classcloud__Limits__AuthRequestsPerMinute"] = "lots" });

    [Fact]
    public Task Number_out_of_range() =>
        AssertOneLineAsync("Classcloud:Mail:SmtpPort", new() { ["Classcloud__Mail__SmtpPort"] = "70000" });

    [Fact]
    public Task Smtp_password_over_a_plain_connection() =>
        AssertOneLineAsync("Classcloud:Mail:SmtpUser needs Classcloud:Mail:SmtpSecurity", new()
        {
            ["Classcloud__Mail__SmtpSecurity"] = "None",
            ["Classcloud__Mail__SmtpUser"] = "relay",
        });

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://localhost:0;http://[::]:0")]
    public Task Listening_beyond_loopback_without_a_public_url(string urls) =>
        AssertOneLineAsync("Classcloud:PublicUrl is required when the platform listens beyond loopback", new() { ["CLASSCLOUD_URLS"] = urls });

    [Fact]
    public Task Known_proxy_that_is_not_an_address() =>
        AssertOneLineAsync("Classcloud:KnownProxies must list IP addresses (got 'proxy.school')", new() { ["Classcloud__KnownProxies__0"] = "proxy.school" });
}
