using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Classcloud.Cli.Images;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Cli.Tests;

/// <summary>A private registry behind htpasswd (bcrypt, made with apache2-utils' <c>htpasswd</c>), as a school's Harbor would be.</summary>
public sealed class PasswordRegistry : PrivateRegistry
{
    public const string User = "builder";
    public string Password { get; } = Guid.NewGuid().ToString("N");

    protected override async Task<string> AuthSectionAsync(string folder)
    {
        var file = Path.Combine(folder, "htpasswd");
        var start = new ProcessStartInfo("htpasswd", ["-Bbc", file, User, Password]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("htpasswd did not start (./test.sh installs apache2-utils).");
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return $"auth:\n  htpasswd:\n    realm: classcloud-test\n    path: {file}\n";
    }

    public override async Task<string> TagsAsync(string repository)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return await http.GetStringAsync(new Uri($"http://{Address}/v2/{repository}/tags/list"));
    }
}

/// <summary>
/// <c>classcloud images build</c> against a registry that wants credentials: refused up front without
/// them, pushed with the server's own environment variables. Its own collection: the variables are
/// process-wide, and no other test may build while they point at this registry's user.
/// </summary>
[Collection(nameof(RegistryVariables))]
public sealed class ImagesBuildCredentialsTests(EngineFixture engine, PasswordRegistry registry) : IClassFixture<EngineFixture>, IClassFixture<PasswordRegistry>, IDisposable
{
    readonly string recipes = TestRecipes.FreshCopy();
    readonly HashSet<string> made = [];

    async Task<(int Code, string Out, string Err)> BuildAsync()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var code = await CliApp.RunAsync(["images", "build", "--recipes", recipes, "--registry", registry.Address, "tiny"], stdout, stderr, Path.GetTempFileName(), timeout.Token);
        foreach (var line in stdout.ToString().Split('\n').Where(l => l.StartsWith("==> [", StringComparison.Ordinal)))
        {
            var reference = line.Split(": ", 2)[1].Trim();
            made.Add(reference);
            made.Add(reference[..reference.LastIndexOf(':')] + ":latest");
        }
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Without_credentials_it_stops_before_building_and_with_the_servers_variables_it_pushes()
    {
        var refused = await BuildAsync();
        Assert.Equal(1, refused.Code);
        Assert.Equal($"classcloud: the registry at {registry.Address} wants credentials; set {ImagesCommand.UsernameVariable} and {ImagesCommand.PasswordVariable}, or use --username with --password-stdin.\n",
            refused.Err.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("built in", refused.Out, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable(ImagesCommand.UsernameVariable, PasswordRegistry.User);
        Environment.SetEnvironmentVariable(ImagesCommand.PasswordVariable, "wrong");
        try
        {
            var wrong = await BuildAsync();
            Assert.Equal(1, wrong.Code);
            Assert.StartsWith("classcloud: the engine refused: ", wrong.Err, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(ImagesCommand.PasswordVariable, registry.Password);
            var pushed = await BuildAsync();
            Assert.True(pushed.Code == 0, pushed.Err + pushed.Out);
            var tags = await registry.TagsAsync("classcloud/image/system/tiny");
            Assert.Contains("\"latest\"", tags, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ImagesCommand.UsernameVariable, null);
            Environment.SetEnvironmentVariable(ImagesCommand.PasswordVariable, null);
            foreach (var reference in made)
            {
                await engine.Platform.RemoveImageAsync(reference, force: true, CancellationToken.None);
            }
        }
    }

    public void Dispose() => Directory.Delete(recipes, recursive: true);
}

/// <summary>Tests that set the registry variables run alone: the environment is the whole process's.</summary>
[CollectionDefinition(nameof(RegistryVariables), DisableParallelization = true)]
public sealed class RegistryVariables;
