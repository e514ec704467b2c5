using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Classcloud.Platform;
using Classcloud.Platform.Tests.Infrastructure;

namespace Classcloud.Cli.Tests;

/// <summary>
/// A registry of the test's own (Debian's docker-registry on a free loopback port, storage in a
/// temporary folder), so the tests never overwrite the system images in the registry run.sh uses.
/// </summary>
public class PrivateRegistry : IAsyncLifetime
{
    Process? process;
    string folder = "";

    public string Address { get; private set; } = "";

    public async Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Address = $"127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }
        folder = Directory.CreateTempSubdirectory("classcloud-registry-").FullName;
        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {folder}/storage\nhttp:\n  addr: {Address}\n"
            + await AuthSectionAsync(folder));
        process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("docker-registry did not start (./test.sh installs it).");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Address}/v2/"));
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }
        throw new InvalidOperationException($"The test registry did not answer on {Address}.");
    }

    /// <summary>The registry configuration's <c>auth</c> section; none: anyone may push.</summary>
    protected virtual Task<string> AuthSectionAsync(string folder) => Task.FromResult("");

    public virtual async Task<string> TagsAsync(string repository)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://{Address}/v2/{repository}/tags/list"));
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit(5000);
        }
        process?.Dispose();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class ImagesBuildTests(EngineFixture engine, PrivateRegistry registry) : IClassFixture<EngineFixture>, IClassFixture<PrivateRegistry>, IAsyncLifetime
{
    readonly string recipes = TestRecipes.FreshCopy();
    readonly List<string> made = [];

    public Task InitializeAsync() => Task.CompletedTask;

    async Task<(int Code, string Out, string Err)> BuildAsync(params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["images", "build", "--recipes", recipes, "--registry", registry.Address, .. extra];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var code = await CliApp.RunAsync(args, stdout, stderr, Path.GetTempFileName(), timeout.Token);
        foreach (var line in stdout.ToString().Split('\n').Where(l => l.StartsWith("==> [", StringComparison.Ordinal)))
        {
            made.Add(line.Split(": ", 2)[1].Trim());
        }
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Build_names_labels_and_pushes_base_then_the_recipe_and_a_second_run_builds_nothing()
    {
        var first = await BuildAsync("tiny");
        Assert.True(first.Code == 0, first.Err + first.Out);
        Assert.Contains("==> [1/2] base: ", first.Out, StringComparison.Ordinal);
        Assert.Contains("==> [2/2] tiny: ", first.Out, StringComparison.Ordinal);
        Assert.Contains(" : COPY hello.txt /etc/classcloud-hello", first.Out, StringComparison.Ordinal);
        Assert.Equal(2, first.Out.Split("    built in ").Length - 1);

        var tiny = made[1];
        Assert.True(ImageNames.TryParse(tiny, out var name));
        Assert.Equal(("image", "system", "tiny", registry.Address), (name!.Kind, name.Owner, name.Name, name.Registry));
        var image = await engine.Platform.InspectImageAsync(tiny, CancellationToken.None);
        Assert.NotNull(image);
        Assert.Equal("tiny", image.Labels["classcloud.io/recipe"]);
        Assert.StartsWith(name.Tag, image.Labels["classcloud.io/recipe-hash"], StringComparison.Ordinal);
        Assert.Contains($"{name.Repository}:latest", image.Tags);
        var tags = await registry.TagsAsync("classcloud/image/system/tiny");
        Assert.Contains($"\"{name.Tag}\"", tags, StringComparison.Ordinal);
        Assert.Contains("\"latest\"", tags, StringComparison.Ordinal);

        var again = await BuildAsync("tiny");
        Assert.Equal(0, again.Code);
        Assert.Equal(2, again.Out.Split("up to date").Length - 1);
        Assert.DoesNotContain("built in", again.Out, StringComparison.Ordinal);

        // Without the local images, the registry has them: pulled, not built.
        await RemoveMadeAsync();
        var pulled = await BuildAsync("tiny");
        Assert.Equal(0, pulled.Code);
        Assert.Equal(2, pulled.Out.Split("pulled from the registry").Length - 1);
        Assert.Equal(image.Id, (await engine.Platform.InspectImageAsync(tiny, CancellationToken.None))?.Id);

        // A changed recipe is a new image.
        await File.AppendAllTextAsync(Path.Combine(recipes, "tiny", "hello.txt"), "changed\n");
        var changed = await BuildAsync("tiny");
        Assert.Equal(0, changed.Code);
        Assert.Contains("up to date", changed.Out.Split("==> [2/2]")[0], StringComparison.Ordinal);
        Assert.Contains("built in", changed.Out.Split("==> [2/2]")[1], StringComparison.Ordinal);
        Assert.NotEqual(tiny, made[^1]);
    }

    [Fact]
    public async Task An_unknown_name_is_one_sentence_and_exit_2_before_anything_is_built()
    {
        var result = await BuildAsync("tiny", "nope");
        Assert.Equal(2, result.Code);
        Assert.Equal($"classcloud: no recipe named 'nope' in {recipes} (there are: base, tiny).\n", result.Err.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_is_one_sentence_and_exit_1()
    {
        var result = await BuildAsync("--engine", "unix:///tmp/classcloud-no-engine.sock");
        Assert.Equal(1, result.Code);
        Assert.StartsWith("classcloud: the container engine at unix:///tmp/classcloud-no-engine.sock does not answer (", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_is_one_sentence_and_exit_1()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["images", "build", "--recipes", recipes, "--registry", "127.0.0.1:1"], stdout, stderr, "", CancellationToken.None);
        Assert.Equal(1, code);
        Assert.StartsWith("classcloud: the registry at 127.0.0.1:1 does not answer (", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("built in", stdout.ToString(), StringComparison.Ordinal);
    }

    async Task RemoveMadeAsync()
    {
        foreach (var reference in made.Distinct())
        {
            await engine.Platform.RemoveImageAsync(reference, force: true, CancellationToken.None);
            await engine.Platform.RemoveImageAsync(reference[..reference.LastIndexOf(':')] + ":latest", force: true, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await RemoveMadeAsync();
        Directory.Delete(recipes, recursive: true);
    }
}

/// <summary>The tiny test recipes (base + tiny).</summary>
public static class TestRecipes
{
    /// <summary>A copy with a file unique to the caller, so every hash (and tag) is new.</summary>
    public static string FreshCopy()
    {
        var recipes = Directory.CreateTempSubdirectory("classcloud-recipes-").FullName;
        var source = Path.Combine(AppContext.BaseDirectory, "Recipes");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(recipes, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var run = Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(recipes, "base", "run-id"), run);
        File.WriteAllText(Path.Combine(recipes, "tiny", "run-id"), run);
        return recipes;
    }
}
