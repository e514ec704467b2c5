using Microsoft.Extensions.Options;

namespace Classcloud.Web.Orchestration;

/// <summary>Classcloud:Controller — timings of the reconciler and its lease.</summary>
public sealed class ControllerOptions
{
    public const string Section = "Classcloud:Controller";

    /// <summary>Full comparison of database and engine even without events.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a taken lease lasts; another host takes over this long after the leader vanished.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the leader renews (and a follower tries to take) the lease.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first restart of a crashed workload; doubled for each further one.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between restarts.</summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Restarts within <see cref="CrashLoopWindow"/> that make a crash loop (flag + alert).</summary>
    public int CrashLoopRestarts { get; set; } = 5;

    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Name of this installation on the engine (label classcloud.io/controller). Orphans are removed
    /// only among containers with this value, so two installations (or test runs) on one engine never
    /// remove each other's workloads.
    /// </summary>
    public string Scope { get; set; } = "classcloud";
}

internal sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerOptions o)
    {
        var errors = new List<string>();
        if (o.ResyncInterval <= TimeSpan.Zero || o.LeaseRenewInterval <= TimeSpan.Zero || o.BackoffBase <= TimeSpan.Zero)
        {
            errors.Add($"{ControllerOptions.Section}: ResyncInterval, LeaseRenewInterval and BackoffBase must be positive.");
        }
        if (o.LeaseDuration <= o.LeaseRenewInterval)
        {
            errors.Add($"{ControllerOptions.Section}:LeaseDuration must be longer than LeaseRenewInterval.");
        }
        if (o.BackoffMax < o.BackoffBase)
        {
            errors.Add($"{ControllerOptions.Section}:BackoffMax must be at least BackoffBase.");
        }
        if (o.CrashLoopRestarts < 1 || o.CrashLoopWindow <= TimeSpan.Zero)
        {
            errors.Add($"{ControllerOptions.Section}: CrashLoopRestarts must be at least 1 and CrashLoopWindow positive.");
        }
        if (!Classcloud.Platform.WorkloadId.IsValid(o.Scope))
        {
            errors.Add($"{ControllerOptions.Section}:Scope must be a lowercase name (got '{o.Scope}').");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
