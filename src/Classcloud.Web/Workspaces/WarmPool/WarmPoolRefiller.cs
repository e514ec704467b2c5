using System.Diagnostics;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Keeps the warm pools at size (<see cref="WarmPool.RefillAsync"/>): after every claim and every
/// <see cref="WarmPoolOptions.CheckInterval"/>. Only the controller leader refills, so two hosts never both
/// top up a pool; entries are rows, so a restarted host adopts the ones it finds instead of making more.
/// </summary>
public sealed class WarmPoolRefiller(IServiceScopeFactory scopes, IServiceProvider services, IOptions<WorkspacesOptions> options, ILogger<WarmPoolRefiller> log)
    : BackgroundService
{
    readonly WakeSignal wake = new();

    /// <summary>Refill passes done (on the leader).</summary>
    public PassCounter Counter { get; } = new();

    long claimedAt;

    /// <summary>Asks for a pass soon (an entry was claimed): after <see cref="WarmPoolOptions.SettleTime"/>.</summary>
    public void Wake()
    {
        Interlocked.Exchange(ref claimedAt, Stopwatch.GetTimestamp());
        wake.Wake();
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    static async Task<bool> SettleAsync(TimeSpan settle, CancellationToken ct)
    {
        try
        {
            await Task.Delay(settle, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // The person who claimed goes first: their first connection should not share the engine with a container being made.
            var settle = options.Value.WarmPool.SettleTime - Stopwatch.GetElapsedTime(Interlocked.Read(ref claimedAt));
            if (settle > TimeSpan.Zero && !await SettleAsync(settle, stoppingToken))
            {
                return;
            }
            if (services.GetService<ControllerState>() is { IsLeader: true })
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<WarmPool>().RefillAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Refilling the warm pool failed");
                }
                Counter.Done();
            }
            if (!await wake.WaitAsync(options.Value.WarmPool.CheckInterval, stoppingToken))
            {
                return;
            }
        }
    }
}
