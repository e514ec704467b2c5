using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Controller;

/// <summary>
/// One reconciliation pass: compares the Workloads rows with what the engine runs under this
/// installation's labels and closes the gap. Creating is idempotent (the driver compares spec
/// hashes), so containers that survived a host restart are adopted, not duplicated.
/// </summary>
public sealed class Reconciler(
    ClasscloudDb db, IContainerPlatform platform, ReconcilerWake wake, IOptions<ControllerOptions> options, TimeProvider time, ILogger<Reconciler> log,
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection)
{
    readonly Microsoft.AspNetCore.DataProtection.IDataProtector secrets = protection.CreateProtector(WorkloadDefinition.SecretPurpose);

    /// <summary>Rows handled per pass, so one pass stays bounded.</summary>
    public const int MaxWorkloadsPerPass = 10_000;

    public async Task ReconcileAsync(CancellationToken ct)
    {
        var o = options.Value;
        var rows = await db.Workloads.OrderBy(w => w.Id).Take(MaxWorkloadsPerPass).ToListAsync(ct);
        var actual = (await platform.ListAsync(new Dictionary<string, string> { [ControllerLabels.Scope] = o.Scope }, ct))
            .ToDictionary(s => s.Id.Value, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            actual.Remove(row.Id, out var status);
            if (wake.IsHeld(row.Id))
            {
                continue; // the console is restarting or removing it right now
            }
            try
            {
                await ReconcileOneAsync(row, status, ct);
            }
            catch (Exception ex) when (ex is PlatformException or ArgumentException or System.Text.Json.JsonException
                or System.Security.Cryptography.CryptographicException)
            {
                row.ObservedState = WorkloadStates.Error;
                row.LastError = Truncate(ex.Message);
                log.LogWarning(ex, "Reconciling workload {Workload} failed", row.Id);
            }
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException ex) when (attempt < 3)
            {
                // Rows deleted while this pass looked at them (a workspace or a warm-pool entry went): save the others.
                foreach (var gone in ex.Entries)
                {
                    gone.State = EntityState.Detached;
                }
            }
        }
        foreach (var orphan in actual.Values)
        {
            // Ours by label, but no row wants it (deleted while the controller was away). Asked per
            // orphan, so a row beyond this pass's limit (or added since the read) is never mistaken for one.
            if (await db.Workloads.AnyAsync(w => w.Id == orphan.Id.Value, ct))
            {
                continue;
            }
            log.LogInformation("Removing orphan workload {Workload}", orphan.Id);
            try
            {
                await platform.RemoveAsync(orphan.Id, ct);
            }
            catch (PlatformException ex)
            {
                log.LogWarning(ex, "Removing orphan workload {Workload} failed", orphan.Id);
            }
        }
    }

    async Task ReconcileOneAsync(Workload row, WorkloadStatus? status, CancellationToken ct)
    {
        var spec = WorkloadDefinition.FromJson(row.SpecJson).ToSpec(row, options.Value.Scope, secrets);
        if (row.DesiredState == WorkloadStates.Stopped)
        {
            if (status is null || status.Instances.Count != spec.Replicas)
            {
                status = await platform.CreateAsync(spec, ct);
            }
            if (status.Running > 0)
            {
                await platform.StopAsync(spec.Id, ct);
            }
            row.ObservedState = WorkloadStates.Stopped;
            row.NextRetryAt = null;
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var crashed = status?.Instances.Where(i => i.State == InstanceState.Exited).ToList() ?? [];
        if (crashed.Count > 0 && row.NextRetryAt is null && row.ObservedState != WorkloadStates.Stopped)
        {
            RecordCrash(row, crashed[0], now);
        }
        if (row.NextRetryAt is { } retry && retry > now)
        {
            // Waiting out the backoff: only converge existence (scale, spec change) without starting.
            if (status is null || status.Instances.Count != spec.Replicas)
            {
                await platform.CreateAsync(spec, ct);
            }
            row.ObservedState = row.CrashLoop ? WorkloadStates.CrashLoop : WorkloadStates.BackingOff;
            return;
        }
        var needsWork = status is null || status.Instances.Count != spec.Replicas || status.Running != spec.Replicas
            || !SameSpec(status.Spec, spec);
        if (needsWork)
        {
            status = await platform.EnsureAsync(spec, ct);
        }
        row.NextRetryAt = null;
        row.ObservedState = status!.Running == spec.Replicas ? WorkloadStates.Running : WorkloadStates.Starting;
        ForgiveIfStable(row, status, now);
    }

    /// <summary>Counts a crash, schedules the restart after an exponential backoff and flags a crash loop.</summary>
    void RecordCrash(Workload row, InstanceStatus instance, DateTime now)
    {
        var o = options.Value;
        if (row.RestartWindowStartedAt is not { } start || now - start > o.CrashLoopWindow)
        {
            row.RestartWindowStartedAt = now;
            row.WindowRestarts = 0;
        }
        row.WindowRestarts++;
        row.RestartCount++;
        var exponent = Math.Min(row.WindowRestarts - 1, 30);
        var delay = TimeSpan.FromTicks(Math.Min(o.BackoffMax.Ticks, o.BackoffBase.Ticks * (1L << Math.Min(exponent, 20))));
        row.NextRetryAt = now + delay;
        row.LastError = Truncate(instance.OomKilled
            ? $"Replica {instance.Replica} was killed for exceeding its memory limit."
            : $"Replica {instance.Replica} exited with code {instance.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}.");
        if (!row.CrashLoop && row.WindowRestarts >= o.CrashLoopRestarts)
        {
            row.CrashLoop = true;
            db.Alerts.Add(new Alert
            {
                Kind = "crash-loop",
                WorkloadId = row.Id,
                Message = Truncate($"Workload {row.Id} crashed {row.WindowRestarts} times within {o.CrashLoopWindow}; last: {row.LastError}"),
                CreatedAt = now,
            });
            log.LogWarning("Workload {Workload} is in a crash loop", row.Id);
        }
    }

    /// <summary>A workload that has run a whole window without crashing starts with a clean slate.</summary>
    void ForgiveIfStable(Workload row, WorkloadStatus status, DateTime now)
    {
        var window = options.Value.CrashLoopWindow;
        var stable = status.Instances.Count > 0 && status.Instances.All(i => i.State == InstanceState.Running
            && i.StartedAt is { } started && now - started.UtcDateTime > window);
        if (stable && (row.WindowRestarts > 0 || row.CrashLoop))
        {
            row.WindowRestarts = 0;
            row.RestartWindowStartedAt = null;
            row.CrashLoop = false;
        }
    }

    static bool SameSpec(WorkloadSpec? current, WorkloadSpec wanted) =>
        current is not null && Key(current) == Key(wanted);

    // What decides whether the driver must replace a container; the driver's own spec hash settles it anyway.
    static string Key(WorkloadSpec s) => System.Text.Json.JsonSerializer.Serialize(new
    {
        s.Image,
        s.Command,
        Environment = s.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
        s.Resources,
        s.Tenant,
        s.Volumes,
        Labels = s.Labels.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
    });

    static string Truncate(string message) => message.Length <= 1000 ? message : message[..1000];
}
