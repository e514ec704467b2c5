using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Admits waiting starts while the host has room (<see cref="CapacityOptions"/>). Every start is
/// queued in the database (<see cref="Workspace.QueuedAt"/>, state <c>starting</c>); the head of the
/// queue is admitted (QueuedAt cleared, its start job queued) when one more workspace fits the
/// budget, strictly first come first served, so a small start never overtakes a waiting one. A start,
/// a finished job and a timer wake it; the queue is read from the database, so it survives a restart.
/// </summary>
public sealed class WorkspaceAdmission(IServiceScopeFactory scopes, IContainerPlatform platform, WorkspaceQueue jobs, IOptions<WorkspacesOptions> options, TimeProvider time,
    ILogger<WorkspaceAdmission> log) : BackgroundService
{
    readonly WakeSignal wake = new();

    /// <summary>Admission passes done.</summary>
    public PassCounter Counter { get; } = new();

    /// <summary>When recent starts were admitted: the pace a waiting person's estimate is made from.</summary>
    public AdmissionPace Pace { get; } = new(time);
    readonly SemaphoreSlim gate = new(1, 1);
    (DateTimeOffset At, EngineInfo Info)? engine;

    /// <summary>Asks for an admission pass soon (after a start was asked for, or capacity was freed).</summary>
    public void Wake() => wake.Wake();

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await AdmitAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Admitting waiting workspace starts failed");
            }
            if (!await wake.WaitAsync(options.Value.Capacity.CheckInterval, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>Admits queued starts, oldest first, while one more fits; returns how many were admitted.</summary>
    public async Task<int> AdmitAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            var budget = await BudgetAsync(ct);
            // No bound at all (capacity admission off): every start fits, and counting what runs is three queries on a waiting person's path.
            var unbounded = budget is { Cpus: null, MemoryBytes: null, MaxRunning: null };
            var admitted = 0;
            while (jobs.HasRoom)
            {
                var head = await db.Workspaces.AsNoTracking().Where(w => w.State == WorkspaceState.Starting && w.QueuedAt != null)
                    .OrderBy(w => w.QueuedAt).ThenBy(w => w.Id).Select(w => new { w.Id, w.QueuedAt }).FirstOrDefaultAsync(ct);
                if (head is null)
                {
                    return admitted;
                }
                if (!unbounded && !Fits(budget, await UsageAsync(db, ct)))
                {
                    // The warm pool gives way to people: an unclaimed entry goes, and the head is looked at again.
                    if (await scope.ServiceProvider.GetRequiredService<WarmPoolRemoval>().EvictOneAsync(ct))
                    {
                        continue;
                    }
                    return admitted;
                }
                var claimed = await db.Workspaces.Where(w => w.Id == head.Id && w.State == WorkspaceState.Starting && w.QueuedAt == head.QueuedAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(w => w.QueuedAt, (DateTime?)null).SetProperty(w => w.JobHolder, jobs.Holder), ct);
                if (claimed > 0)
                {
                    jobs.TryEnqueue(new WorkspaceJob(head.Id, WorkspaceJobKind.Start));
                    Pace.Admitted();
                    log.LogDebug("Workspace {Workspace} admitted {Elapsed:0} ms after its start was asked for", head.Id, (time.GetUtcNow().UtcDateTime - head.QueuedAt!.Value).TotalMilliseconds);
                    admitted++;
                }
            }
            return admitted;
        }
        finally
        {
            Counter.Done();
            gate.Release();
        }
    }

    /// <summary>
    /// Whether the warm pool may make one more entry: nobody waits for a start and one more workspace fits the
    /// budget (without the empty-host exception: the pool never overfills a small host).
    /// </summary>
    public async Task<bool> PoolMayGrowAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            if (await db.Workspaces.AnyAsync(w => w.State == WorkspaceState.Starting && w.QueuedAt != null, ct))
            {
                return false;
            }
            return Fits(await BudgetAsync(ct), await UsageAsync(db, ct), emptyHostTakesOne: false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// What the administrator's overview shows (issue 17): workspaces holding capacity now, the budget, and how many
    /// workspaces it holds at the per-workspace requests (null: no bound configured or known).
    /// </summary>
    public async Task<CapacityView> CapacityAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var (active, suspended) = await UsageAsync(db, ct);
        var pooled = await db.WarmPoolEntries.CountAsync(ct);
        var queued = await db.Workspaces.CountAsync(w => w.State == WorkspaceState.Starting && w.QueuedAt != null, ct);
        var budget = await BudgetAsync(ct);
        var o = options.Value;
        int? fits = budget.MaxRunning;
        if (budget.Cpus is { } cpus)
        {
            fits = Math.Min(fits ?? int.MaxValue, (int)Math.Floor(cpus / o.CpuRequest + 1e-9));
        }
        if (budget.MemoryBytes is { } memory)
        {
            // Suspended workspaces keep their memory: what is left for active ones is the rest.
            fits = Math.Min(fits ?? int.MaxValue, (int)Math.Max(0, memory / o.MemoryRequestBytes - suspended));
        }
        return new CapacityView(options.Value.Capacity.Enabled, active - pooled, suspended, pooled, queued, fits, budget.Cpus, budget.MemoryBytes, budget.MaxRunning);
    }

    /// <summary>
    /// What holds the queue's head now (issue 17: "waiting says why"): the first full budget of <see cref="QueueHold"/>,
    /// or <see cref="QueueHold.Worker"/> when the budget has room but the job queue is full, or null: it fits and
    /// goes at the next pass.
    /// </summary>
    public async Task<QueueHold?> HoldAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var budget = await BudgetAsync(ct);
        var used = await UsageAsync(db, ct);
        var o = options.Value;
        var active = used.Active + 1;
        if (Fits(budget, used))
        {
            return jobs.HasRoom ? null : QueueHold.Worker;
        }
        return budget.MaxRunning is { } max && active > max ? QueueHold.Count
            : budget.MemoryBytes is { } memory && (active + used.Suspended) * o.MemoryRequestBytes > memory ? QueueHold.Memory
            : QueueHold.Cpu;
    }

    /// <summary>1-based place in the queue, or null when the workspace does not wait.</summary>
    public static async Task<int?> PositionAsync(ClasscloudDb db, Workspace w, CancellationToken ct)
    {
        if (w.State != WorkspaceState.Starting || w.QueuedAt is not { } at)
        {
            return null;
        }
        return 1 + await db.Workspaces.CountAsync(x => x.State == WorkspaceState.Starting && x.QueuedAt != null
            && (x.QueuedAt < at || (x.QueuedAt == at && x.Id < w.Id)), ct);
    }

    /// <summary>
    /// What running workspaces take: running, starting (admitted), stopping, and warm-pool entries (claimed ones
    /// too, until their workspace is running: a claim frees nothing); suspended ones keep their memory only.
    /// </summary>
    static async Task<(int Active, int Suspended)> UsageAsync(ClasscloudDb db, CancellationToken ct)
    {
        var active = await db.Workspaces.CountAsync(w => w.State == WorkspaceState.Running || w.State == WorkspaceState.Stopping || w.State == WorkspaceState.Restarting
            || (w.State == WorkspaceState.Starting && w.QueuedAt == null), ct)
            + await db.WarmPoolEntries.CountAsync(ct);
        var suspended = await db.Workspaces.CountAsync(w => w.State == WorkspaceState.Suspended, ct);
        return (active, suspended);
    }

    bool Fits(CapacityBudget budget, (int Active, int Suspended) used, bool emptyHostTakesOne = true)
    {
        var o = options.Value;
        var active = used.Active + 1;
        if (emptyHostTakesOne && used.Active == 0 && used.Suspended == 0)
        {
            return true; // an empty host always takes one, or a budget smaller than a workspace would queue it forever
        }
        return (budget.MaxRunning is not { } max || active <= max)
            && (budget.Cpus is not { } cpus || active * o.CpuRequest <= cpus + 1e-9)
            && (budget.MemoryBytes is not { } memory || (active + used.Suspended) * o.MemoryRequestBytes <= memory);
    }

    /// <summary>The configured budget; CPU and memory left unset come from the engine (cached a minute) less the reserve.</summary>
    async Task<CapacityBudget> BudgetAsync(CancellationToken ct)
    {
        var c = options.Value.Capacity;
        if (!c.Enabled)
        {
            return new CapacityBudget(null, null, null);
        }
        double? cpus = c.Cpus;
        long? memory = c.MemoryBytes;
        if ((cpus is null || memory is null) && platform.Features.Enabled)
        {
            var now = time.GetUtcNow();
            if (engine is not { } cached || now - cached.At > TimeSpan.FromMinutes(1))
            {
                try
                {
                    engine = (now, await platform.GetEngineInfoAsync(ct));
                }
                catch (PlatformException ex)
                {
                    log.LogWarning(ex, "The engine did not say its size; admitting by the configured limits only");
                }
            }
            if (engine is { } info)
            {
                cpus ??= Math.Max(0, info.Info.Cpus - c.ReserveCpus) * c.CpuOvercommit;
                memory ??= Math.Max(0, info.Info.MemoryBytes - c.ReserveMemoryBytes);
            }
        }
        return new CapacityBudget(cpus, memory, c.MaxRunning);
    }

    readonly record struct CapacityBudget(double? Cpus, long? MemoryBytes, int? MaxRunning);
}

/// <summary>
/// Capacity as the overview shows it: <see cref="Active"/> workspaces hold CPU and memory (running, admitted starts,
/// stopping), <see cref="Pooled"/> warm-pool containers too, <see cref="Queued"/> starts wait; <see cref="Fits"/> is how
/// many active workspaces the budget holds (null: unbounded).
/// </summary>
public sealed record CapacityView(bool Enabled, int Active, int Suspended, int Pooled, int Queued, int? Fits, double? Cpus, long? MemoryBytes, int? MaxRunning);
