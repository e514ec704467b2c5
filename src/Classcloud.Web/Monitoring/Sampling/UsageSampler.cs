using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// The controller role's monitor: every <see cref="MonitoringOptions.SampleInterval"/> it runs one
/// <see cref="UsagePass"/> (host, engine, workloads, registry; history and alerts on the lease holder), and
/// meanwhile follows the engine's events for OOM kills (<see cref="OomWatch"/>).
/// </summary>
public sealed class UsageSampler(UsagePass pass, OomWatch ooms, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<UsageSampler> log)
    : BackgroundService
{
    long passes;

    /// <summary>Completed passes (tests wait on it).</summary>
    public long Passes => Interlocked.Read(ref passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = ooms.WatchAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Monitor pass failed");
            }
            try
            {
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await watch;
    }

    public async Task SampleOnceAsync(CancellationToken ct)
    {
        await pass.RunAsync(ct);
        Interlocked.Increment(ref passes);
    }
}
