using Classcloud.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Orchestration;

/// <summary>What this host's controller is doing; tests and (later) the console read it.</summary>
public sealed class ControllerState(ProcessIdentity identity)
{
    /// <summary>This process's identity in the Leases table.</summary>
    public string HolderId => identity.Id;

    volatile bool isLeader;
    long passes;

    /// <summary>Whether this host holds the controller lease right now.</summary>
    public bool IsLeader
    {
        get => isLeader;
        internal set => isLeader = value;
    }

    /// <summary>Completed reconciliation passes while leading.</summary>
    public long Passes => Interlocked.Read(ref passes);

    internal void PassDone() => Interlocked.Increment(ref passes);
}

/// <summary>
/// The controller role: wins the "controller" lease, then reconciles on every engine event and on
/// a periodic resync, renewing the lease beside the passes. Losing the lease (or the engine) ends the
/// leader's turn; it then competes for the lease again. Failures are logged, never fatal to the host.
/// </summary>
public sealed class ControllerService(
    IServiceScopeFactory scopes, ControllerState state, ReconcileTriggers triggers, IOptions<ControllerOptions> options, TimeProvider time,
    ILogger<ControllerService> log) : BackgroundService
{
    public const string LeaseName = "controller";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await TryLeaseAsync(stoppingToken))
                {
                    await LeadAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Controller turn failed; trying again");
            }
            state.IsLeader = false;
            await DelayAsync(o.LeaseRenewInterval, stoppingToken);
        }
        await ReleaseAsync();
    }

    async Task LeadAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        state.IsLeader = true;
        log.LogInformation("Controller {Holder} leads", state.HolderId);
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        // Engine events and the console share one wake-up (ReconcilerWake keeps at most one pending).
        var watch = triggers.WatchAsync(turn.Token);
        // The lease is renewed beside the passes, not between them: a long pass never outlives it, and losing
        // it cancels the pass in flight (each workload's claim keeps two leaders off one workload meanwhile).
        var renew = RenewAsync(turn);
        try
        {
            while (!turn.Token.IsCancellationRequested)
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<Reconciler>().ReconcileAsync(turn.Token);
                }
                state.PassDone();
                await triggers.NextAsync(o.ResyncInterval, turn.Token);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The lease was lost mid-pass: the turn ends here.
        }
        finally
        {
            state.IsLeader = false;
            await turn.CancelAsync();
            await watch;
            await renew;
        }
    }

    /// <summary>Renews every <see cref="ControllerOptions.LeaseRenewInterval"/>; a lost (or unreachable) lease ends the turn.</summary>
    async Task RenewAsync(CancellationTokenSource turn)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.LeaseRenewInterval, time, turn.Token);
                bool held;
                try
                {
                    held = await TryLeaseAsync(turn.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Controller {Holder} could not renew the lease", state.HolderId);
                    held = false;
                }
                if (!held)
                {
                    log.LogWarning("Controller {Holder} lost the lease", state.HolderId);
                    state.IsLeader = false;
                    await turn.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (turn.IsCancellationRequested)
        {
            // The turn ended.
        }
    }

    async Task<bool> TryLeaseAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<LeaseStore>();
        return await leases.TryAcquireAsync(LeaseName, state.HolderId, options.Value.LeaseDuration, ct);
    }

    async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<LeaseStore>().ReleaseAsync(LeaseName, state.HolderId, timeout.Token);
        }
        catch (Exception ex)
        {
            // The lease then simply expires.
            log.LogWarning(ex, "Could not release the controller lease");
        }
    }

    async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
