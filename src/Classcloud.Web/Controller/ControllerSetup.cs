using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Controller;

/// <summary>
/// The controller role (DESIGN.md §2): leader election on the Leases table and the reconciler.
/// The lease store is always there (it needs only the database); the reconciler runs only when the
/// host has the controller role and the container platform is enabled.
/// </summary>
public static class ControllerSetup
{
    public static WebApplicationBuilder AddController(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<LeaseStore>();
        builder.Services.AddSingleton<ReconcilerWake>();
        if (!builder.Roles().Controller || !builder.Configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled"))
        {
            return builder;
        }
        builder.Services.AddOptions<ControllerOptions>().BindConfiguration(ControllerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ControllerOptions>, ControllerOptionsValidator>();
        builder.Services.AddSingleton<ControllerState>();
        builder.Services.AddScoped<Reconciler>();
        builder.Services.AddHostedService<ControllerService>();
        return builder;
    }
}
