using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>The registry in a pass: answering or not, and (the last) count of what it holds.</summary>
public sealed record RegistryReading(bool Up, string? Error, RegistrySample? Counted, RegistrySample? Last);

/// <summary>Pings the registry every pass and counts its repositories, tags and bytes every <see cref="MonitoringOptions.RegistryInterval"/>.</summary>
public sealed class RegistrySampler(RegistryClient registry, IOptions<MonitoringOptions> options, ILogger<RegistrySampler> log)
{
    DateTimeOffset nextRegistryCount = DateTimeOffset.MinValue;
    RegistrySample? lastRegistry;

    /// <summary><see cref="RegistryReading.Counted"/> is set on a pass that counted; <see cref="RegistryReading.Last"/> is the latest count.</summary>
    public async Task<RegistryReading> SampleAsync(DateTimeOffset now, CancellationToken ct)
    {
        var (registryUp, registryError) = await PingRegistryAsync(ct);
        RegistrySample? counted = null;
        if (now >= nextRegistryCount)
        {
            nextRegistryCount = now + options.Value.RegistryInterval;
            counted = await CountRegistryAsync(registryUp, now, ct);
            lastRegistry = counted;
        }
        return new RegistryReading(registryUp, registryError, counted, lastRegistry);
    }

    async Task<(bool Up, string? Error)> PingRegistryAsync(CancellationToken ct)
    {
        try
        {
            await registry.PingAsync(ct);
            return (true, null);
        }
        catch (PlatformException ex)
        {
            return (false, ex.Message);
        }
    }

    async Task<RegistrySample?> CountRegistryAsync(bool up, DateTimeOffset now, CancellationToken ct)
    {
        if (!up)
        {
            return new RegistrySample { SampledAt = now.UtcDateTime, Up = false };
        }
        try
        {
            var usage = await registry.UsageAsync(new RegistryUsageLimits(), ct);
            return new RegistrySample { SampledAt = now.UtcDateTime, Up = true, Repositories = usage.Repositories, Tags = usage.Tags, Bytes = usage.Bytes };
        }
        catch (PlatformException ex)
        {
            log.LogWarning(ex, "Counting the registry's usage failed");
            return null;
        }
    }
}
