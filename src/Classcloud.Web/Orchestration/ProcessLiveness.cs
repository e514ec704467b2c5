using Microsoft.Extensions.Options;

namespace Classcloud.Web.Orchestration;

/// <summary>This process's identity among the processes on one database (the holder of its leases and jobs).</summary>
public sealed class ProcessIdentity
{
    public const string LeasePrefix = "process:";

    /// <summary>Unique per process start: a restarted process is a new holder, and its old jobs are recovered.</summary>
    public string Id { get; } = $"{Truncate(Environment.MachineName, 40)}-{Guid.NewGuid():N}";

    /// <summary>The lease that says a process is alive (see <see cref="ProcessLiveness"/>).</summary>
    public static string LeaseName(string processId) => LeasePrefix + processId;

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>
/// Keeps this process's liveness lease (the controller's lease duration and renew interval): while it holds,
/// other processes leave the workspace jobs this process holds alone (<see cref="Workspaces.WorkspaceWorker"/>);
/// once it expires (the process died) or is released (a clean stop), they recover them. Every role runs it.
/// </summary>
public sealed class ProcessLiveness(IServiceScopeFactory scopes, ProcessIdentity identity, IOptions<ControllerOptions> options, TimeProvider time,
    ILogger<ProcessLiveness> log) : BackgroundService
{
    /// <summary>The first lease is taken before the host starts its other work, so no job of ours is ever unheld.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RenewAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeaseRenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: released below.
        }
        await ReleaseAsync();
    }

    async Task RenewAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // The name is ours alone, so taking it always succeeds; a renewal only moves the expiry on.
            await scope.ServiceProvider.GetRequiredService<LeaseStore>()
                .TryAcquireAsync(ProcessIdentity.LeaseName(identity.Id), identity.Id, options.Value.LeaseDuration, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Could not renew the liveness lease of process {Process}", identity.Id);
        }
    }

    async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<LeaseStore>().ReleaseAsync(ProcessIdentity.LeaseName(identity.Id), identity.Id, timeout.Token);
        }
        catch (Exception ex)
        {
            // It expires by itself.
            log.LogWarning(ex, "Could not release the liveness lease of process {Process}", identity.Id);
        }
    }
}
