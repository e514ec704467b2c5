using Classcloud.Bench.Platform;
using Classcloud.Web.Orchestration;

namespace Classcloud.Bench.Workspaces;

/// <summary>
/// What a host of the run may leave on the engine when deleting through the API did not finish
/// (a failure, Ctrl+C): its containers and volumes carry its controller scope's label, its tenant
/// networks are named after the scope. Errors are ignored: this is cleanup.
/// </summary>
internal static class Leftovers
{
    public static async Task RemoveAsync(string scope, CancellationToken ct)
    {
        var label = $"{ControllerLabels.Scope}={scope}";
        await DockerCli.RemoveLabelledAsync(label, ct);
        var volumes = await DockerCli.RunAsync(["volume", "ls", "-q", "--filter", $"label={label}"], ct);
        foreach (var chunk in Lines(volumes.Stdout).Chunk(50))
        {
            await DockerCli.RunAsync(["volume", "rm", "-f", .. chunk], ct);
        }
        var networks = await DockerCli.RunAsync(["network", "ls", "--format", "{{.Name}}", "--filter", $"name={scope}-user-"], ct);
        // The driver prefixes the tenant's name (classcloud-<tenant>).
        foreach (var name in Lines(networks.Stdout).Where(n => n.Contains(scope + "-user-", StringComparison.Ordinal)))
        {
            await DockerCli.RunAsync(["network", "rm", name], ct);
        }
    }

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
