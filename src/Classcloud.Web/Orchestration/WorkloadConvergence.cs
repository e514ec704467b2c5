using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Classcloud.Web.Monitoring;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// Makes the engine match one claimed <see cref="Workload"/> row and writes back what it observed. Creating is
/// idempotent (the driver compares spec hashes), so containers that survived a restart are adopted, not
/// duplicated. Only <see cref="WorkloadConductor"/> and the <see cref="Reconciler"/> call it, each under the row's claim.
/// </summary>
public sealed class WorkloadConvergence(
    ClasscloudDb db, IContainerPlatform platform, IOptions<ControllerOptions> options, IDataProtectionProvider protection, TimeProvider time,
    ILogger<WorkloadConvergence> log)
{
    readonly IDataProtector secrets = protection.CreateProtector(WorkloadDefinition.SecretPurpose);

    /// <summary>Converges and saves the row; an engine failure is recorded on the row and thrown again. Null once removed.</summary>
    public async Task<WorkloadStatus?> ConvergeAsync(Workload row, WorkloadStatus? status, CancellationToken ct)
    {
        var generation = row.Generation;
        try
        {
            status = row.DesiredState == WorkloadStates.Removed ? await RemoveAsync(row, ct) : await ConvergeOneAsync(row, status, ct);
            if (status is null)
            {
                return null;
            }
            row.ObservedGeneration = generation;
            return status;
        }
        catch (Exception ex) when (ex is PlatformException or ArgumentException or System.Text.Json.JsonException
            or System.Security.Cryptography.CryptographicException)
        {
            row.ObservedState = WorkloadStates.Error;
            row.LastError = Truncate(ex.Message);
            log.LogWarning(ex, "Converging workload {Workload} failed", row.Id);
            throw;
        }
        finally
        {
            if (db.Entry(row).State != EntityState.Detached)
            {
                row.UpdatedAt = time.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
    }

    async Task<WorkloadStatus?> RemoveAsync(Workload row, CancellationToken ct)
    {
        try
        {
            await platform.RemoveAsync(new WorkloadId(row.Id), ct);
        }
        catch (ArgumentException)
        {
            // Its id could never have been one on the engine.
        }
        db.Workloads.Remove(row);
        return null;
    }

    async Task<WorkloadStatus> ConvergeOneAsync(Workload row, WorkloadStatus? status, CancellationToken ct)
    {
        var spec = WorkloadDefinition.FromJson(row.SpecJson).ToSpec(row, options.Value.Scope, secrets);
        if (row.DesiredState == WorkloadStates.Stopped)
        {
            if (status is null || status.Instances.Count != spec.Replicas)
            {
                status = await platform.CreateAsync(spec, ct);
            }
            row.ObservedState = WorkloadStates.Stopped;
            row.NextRetryAt = null;
            if (status.Running == 0)
            {
                return status;
            }
            if (platform.Features.Pause && status.Instances.Any(i => i.State == InstanceState.Paused))
            {
                await platform.UnpauseAsync(spec.Id, ct); // a frozen container cannot be stopped
            }
            await platform.StopAsync(spec.Id, ct);
            return await platform.GetAsync(spec.Id, ct) ?? status;
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
                status = await platform.CreateAsync(spec, ct);
            }
            row.ObservedState = row.CrashLoop ? WorkloadStates.CrashLoop : WorkloadStates.BackingOff;
            return status;
        }
        var needsWork = status is null || status.Instances.Count != spec.Replicas || status.Running != spec.Replicas
            || !SameSpec(status.Spec, spec);
        if (needsWork)
        {
            status = await platform.EnsureAsync(spec, ct);
        }
        status = await FreezeOrThawAsync(row, status!, ct);
        row.NextRetryAt = null;
        row.ObservedState = status.Running == spec.Replicas ? WorkloadStates.Running : WorkloadStates.Starting;
        ForgiveIfStable(row, status, now);
        return status;
    }

    /// <summary>Paused asks for frozen replicas (a suspended workspace), running for thawed ones.</summary>
    async Task<WorkloadStatus> FreezeOrThawAsync(Workload row, WorkloadStatus status, CancellationToken ct)
    {
        var paused = status.Instances.Count(i => i.State == InstanceState.Paused);
        var wantPaused = row.DesiredState == WorkloadStates.Paused;
        if (wantPaused && !platform.Features.Pause)
        {
            throw new PlatformNotSupportedException("This platform cannot freeze a workload; stop it instead.");
        }
        var (from, to) = wantPaused ? (InstanceState.Running, InstanceState.Paused) : (InstanceState.Paused, InstanceState.Running);
        if (wantPaused && paused < status.Instances.Count)
        {
            await platform.PauseAsync(status.Id, ct);
        }
        else if (!wantPaused && paused > 0)
        {
            await platform.UnpauseAsync(status.Id, ct);
        }
        else
        {
            return status;
        }
        // The engine did what was asked of exactly those replicas (or threw): no second look on a resume's path.
        return status with { Instances = [.. status.Instances.Select(i => i.State == from ? i with { State = to } : i)] };
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

    // The platform reports secrets as digests only: compare the wanted spec in the same form.
    static bool SameSpec(WorkloadSpec? current, WorkloadSpec wanted) =>
        current is not null && Key(current) == Key(WorkloadSecrets.Redact(wanted));

    // What decides whether the driver must replace a container; the driver's own spec hash settles it anyway.
    static string Key(WorkloadSpec s) => System.Text.Json.JsonSerializer.Serialize(new
    {
        s.Image,
        s.Command,
        Environment = s.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
        SecretEnvironment = s.SecretEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
        s.Resources,
        s.Tenant,
        s.Volumes,
        s.HostDirectories,
        Labels = s.Labels.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
    });

    internal static string Truncate(string message) => message.Length <= 1000 ? message : message[..1000];
}
