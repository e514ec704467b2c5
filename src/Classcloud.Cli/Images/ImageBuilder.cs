using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Classcloud.Platform;

namespace Classcloud.Cli.Images;

/// <summary>
/// Builds recipes into system images named <c>{registry}/classcloud/image/system/{recipe}:{hash}</c>,
/// also tags them <c>:latest</c>, and pushes both. The tag is the first 12 hex digits of the recipe's
/// hash, which is also kept whole in the image's <c>classcloud.io/recipe-hash</c> label: a recipe
/// whose image is already in the engine (or in the registry) is not built again.
/// </summary>
internal sealed class ImageBuilder(IContainerPlatform platform, string registry, RegistryCredentials? credentials, string? engineSocket, TextWriter output)
{
    public const string RecipeLabel = PlatformInfo.LabelPrefix + "recipe";
    public const string RecipeHashLabel = PlatformInfo.LabelPrefix + "recipe-hash";

    /// <summary>Builds (or finds) and pushes each recipe in order; the first is base. Returns the references.</summary>
    public async Task<IReadOnlyList<string>> BuildAsync(IReadOnlyList<Recipe> order, CancellationToken ct)
    {
        var built = new List<string>();
        string? baseReference = null, baseHash = null;
        for (var i = 0; i < order.Count; i++)
        {
            var recipe = order[i];
            var hash = recipe.Hash(recipe.IsBase ? null : baseHash);
            var image = ImageNames.System(registry, recipe.Name, hash[..12]);
            var reference = image.ToString();
            await output.WriteLineAsync($"==> [{i + 1}/{order.Count}] {recipe.Name}: {reference}");
            var clock = Stopwatch.StartNew();
            if (await HasAsync(reference, hash, ct))
            {
                await output.WriteLineAsync("    up to date (an image of this recipe is in the engine)");
            }
            else if (await TryPullAsync(reference, hash, ct))
            {
                await output.WriteLineAsync("    pulled from the registry (an image of this recipe was pushed before)");
            }
            else
            {
                var labels = new Dictionary<string, string> { [RecipeLabel] = recipe.Name, [RecipeHashLabel] = hash };
                await (recipe.IsBase ? BuildBaseAsync(recipe, reference, labels, ct) : BuildRecipeAsync(recipe, reference, baseReference!, labels, ct));
                await output.WriteLineAsync($"    built in {Seconds(clock)}");
            }
            var latest = (image with { Tag = "latest" }).ToString();
            await platform.TagImageAsync(reference, latest, ct);
            await output.WriteLineAsync($"    pushing to {registry}");
            await platform.PushImageAsync(reference, credentials, new LineProgress(output), ct);
            await platform.PushImageAsync(latest, credentials, new LineProgress(output), ct);
            await output.WriteLineAsync($"    done: {reference} (also :latest), {Seconds(clock)}");
            built.Add(reference);
            if (recipe.IsBase)
            {
                (baseReference, baseHash) = (reference, hash);
            }
        }
        return built;
    }

    async Task<bool> HasAsync(string reference, string hash, CancellationToken ct) =>
        (await platform.InspectImageAsync(reference, ct))?.Labels.GetValueOrDefault(RecipeHashLabel) == hash;

    async Task<bool> TryPullAsync(string reference, string hash, CancellationToken ct)
    {
        try
        {
            await platform.PullImageAsync(reference, credentials, null, ct);
        }
        catch (PlatformException ex) when (ex is not PlatformUnavailableException)
        {
            return false; // Not in the registry (manifest unknown): build it.
        }
        return await HasAsync(reference, hash, ct);
    }

    /// <summary>
    /// Runs the recipe's build.sh (a root filesystem imported into the engine under a temporary
    /// name), then adds the recipe labels with a one-line Dockerfile: an import cannot carry labels.
    /// </summary>
    async Task BuildBaseAsync(Recipe recipe, string reference, Dictionary<string, string> labels, CancellationToken ct)
    {
        var imported = $"classcloud-build/{recipe.Name}:{labels[RecipeHashLabel][..12]}";
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(recipe.Folder, "build.sh"));
        start.ArgumentList.Add(imported);
        if (engineSocket is not null)
        {
            start.Environment["CLASSCLOUD_DOCKER_SOCKET"] = engineSocket;
        }
        using var process = Process.Start(start) ?? throw new BuildFailedException("bash could not be started.");
        var progress = new LineProgress(output);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { progress.Report(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { progress.Report(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new BuildFailedException($"{Path.Combine(recipe.Folder, "build.sh")} failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} (its output is above).");
        }
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, leaveOpen: true))
        {
            var dockerfile = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("ARG BASE\nFROM ${BASE}\n")),
            };
            await tar.WriteEntryAsync(dockerfile, ct);
        }
        context.Position = 0;
        await platform.BuildImageAsync(context, new ImageBuildRequest
        {
            Tag = reference,
            BuildArgs = new Dictionary<string, string> { ["BASE"] = imported },
            Labels = labels,
        }, new LineProgress(output), ct);
        await platform.RemoveImageAsync(imported, force: false, ct);
    }

    async Task BuildRecipeAsync(Recipe recipe, string reference, string baseReference, Dictionary<string, string> labels, CancellationToken ct)
    {
        using var context = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(recipe.Folder, context, includeBaseDirectory: false, ct);
        context.Position = 0;
        await platform.BuildImageAsync(context, new ImageBuildRequest
        {
            Tag = reference,
            BuildArgs = new Dictionary<string, string> { ["BASE"] = baseReference },
            Labels = labels,
        }, new LineProgress(output), ct);
    }

    static string Seconds(Stopwatch clock) => $"{clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}

/// <summary>A recipe could not be built; the message is one sentence for the user.</summary>
internal sealed class BuildFailedException(string message) : Exception(message);

/// <summary>
/// Writes the lines that show progress (build steps, packages set up, script steps, push results)
/// at once and in order, indented; download bars and per-package chatter are left out.
/// </summary>
internal sealed class LineProgress(TextWriter output) : IProgress<string>
{
    static readonly string[] Shown = ["Step ", "==> ", "I: ", "Setting up ", "Fetched ", "Successfully ", "Pushed", "Layer already exists", "E: ", "W: "];

    public void Report(string value)
    {
        foreach (var line in value.Split('\n'))
        {
            var text = line.TrimEnd('\r').Trim();
            var shown = Shown.Any(s => text.StartsWith(s, StringComparison.Ordinal) || text.Contains(" " + s, StringComparison.Ordinal))
                || text.Contains("digest: sha256:", StringComparison.Ordinal);
            if (shown)
            {
                lock (output)
                {
                    output.WriteLine("    " + text);
                }
            }
        }
    }
}
