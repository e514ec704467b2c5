using Classcloud.Platform;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>What the machine and the engine say now: CPU, memory, disks, the engine's version and instances (or why it did not answer).</summary>
public sealed record MachineReading(
    DateTimeOffset SampledAt, double CpuPercent, long MemoryUsed, long MemoryTotal, DiskUse Disk, DiskUse? EngineDisk, EngineInfo? Engine, string? EngineError);

/// <summary>Reads the host (<see cref="HostProbe"/>) and asks the engine for its info, within five seconds.</summary>
public sealed class MachineSampler(HostProbe probe, IContainerPlatform platform, IOptions<ClasscloudOptions> classcloud, TimeProvider time)
{
    public async Task<MachineReading> SampleAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cpu = probe.CpuPercent();
        var (memoryUsed, memoryTotal) = HostProbe.Memory();
        var dataDirectory = classcloud.Value.FullDataDirectory;
        var disk = HostProbe.Disk(dataDirectory) ?? new DiskUse(dataDirectory, 0, 0);

        EngineInfo? engine = null;
        string? engineError = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            engine = await platform.GetEngineInfoAsync(timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            engineError = ex.Message;
        }
        // The engine's data root is readable only when the engine runs on this machine.
        var engineDisk = engine?.Details.GetValueOrDefault("dataRoot") is { Length: > 0 } root
            && engine.Details.GetValueOrDefault("endpoint", "").StartsWith("unix:", StringComparison.Ordinal) && Directory.Exists(root)
            ? HostProbe.Disk(root) : null;
        return new MachineReading(now, cpu, memoryUsed, memoryTotal, disk, engineDisk, engine, engineError);
    }
}
