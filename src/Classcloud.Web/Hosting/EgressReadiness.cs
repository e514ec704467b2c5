using System.Diagnostics;

namespace Classcloud.Web.Hosting;

/// <summary>
/// /readyz reads the workload egress rules back from the host (scripts/lib.sh
/// block_workload_egress): a reboot or an engine reinstall loses them, and a host that runs
/// workloads without them lets a student's container reach the school's LAN and the cloud
/// metadata address. The Docker driver only, on the machine the engine runs on
/// (<c>Classcloud:Platform:EgressCheck</c>, on by default for the Docker driver).
/// </summary>
public sealed class EgressReadiness(ILogger<EgressReadiness> logger) : IReadinessCheck
{
    public const string Chain = "CLASSCLOUD-EGRESS";

    /// <summary>The ranges scripts/lib.sh blocks (CLASSCLOUD_PRIVATE_RANGES): every one must be dropped.</summary>
    public static readonly IReadOnlyList<string> PrivateRanges =
        ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];

    public string Name => "egress";

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        var rules = await IptablesAsync(ct);
        var missing = Missing(rules);
        if (missing.Count > 0)
        {
            logger.LogWarning("Workload egress rules are missing ({Missing}); run scripts/lib.sh isolate_workloads (run.sh does it at every start)",
                string.Join("; ", missing));
        }
        return missing.Count == 0;
    }

    /// <summary>What is missing from <c>iptables -S</c> output for the egress block to hold; empty when it holds.</summary>
    public static IReadOnlyList<string> Missing(string rules)
    {
        var lines = rules.Split('\n', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var wanted = new List<string> { $"-A DOCKER-USER -i cc-+ -j {Chain}" };
        wanted.AddRange(PrivateRanges.Select(r => $"-A {Chain} -d {r} -j DROP"));
        return [.. wanted.Where(w => !lines.Contains(w))];
    }

    // iptables -S of the filter table (needs root, as the engine does); an error reads as no rules.
    async Task<string> IptablesAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("iptables") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-w", "5", "-S" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("iptables did not start.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            logger.LogWarning("iptables -S failed ({Code}): {Error}", process.ExitCode, (await error).Trim());
            return "";
        }
        return await output;
    }
}
