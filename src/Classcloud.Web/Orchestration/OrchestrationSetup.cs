using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// The controller role (DESIGN.md §2): leader election on the Leases table and the reconciler.
/// The lease store is always there (it needs only the database); the reconciler runs only when the
/// host has the controller role and the container platform is enabled.
/// </summary>
public static class OrchestrationSetup
{
    public static WebApplicationBuilder AddOrchestration(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<LeaseStore>();
        // Every process says it is alive, so the others recover only the jobs of processes that are gone.
        builder.Services.AddSingleton<ProcessIdentity>();
        builder.Services.AddHostedService<ProcessLiveness>();
        builder.Services.AddSingleton<ReconcilerWake>();
        // The one owner of every workload (issue 11): any role may converge a workload a person waits for.
        builder.Services.AddOptions<ControllerOptions>().BindConfiguration(ControllerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>();
        builder.Services.AddScoped<WorkloadClaims>();
        builder.Services.AddScoped<WorkloadConvergence>();
        builder.Services.AddScoped<WorkloadConductor>();
        if (!builder.Roles().Controller || !builder.Configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled"))
        {
            return builder;
        }
        builder.Services.AddSingleton<ControllerState>();
        builder.Services.AddScoped<Reconciler>();
        builder.Services.AddSingleton<ReconcileTriggers>();
        builder.Services.AddHostedService<ControllerService>();
        return builder;
    }
}
