using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// Monitoring (issue 3): the usage sampler and alerting run in the controller role when the
/// platform is enabled (Classcloud:Monitoring:Enabled turns them off); the snapshot, /metrics,
/// the request metrics and the admin API and pages are there in every host.
/// </summary>
public static class MonitoringSetup
{
    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        services.AddSingleton<UsageSnapshot>();
        services.AddSingleton<IUsageSnapshot>(sp => sp.GetRequiredService<UsageSnapshot>());
        services.AddSingleton<RequestMetrics>();
        services.AddScoped<AlertService>();
        var platform = builder.Configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled");
        var enabled = builder.Configuration.GetValue($"{MonitoringOptions.Section}:Enabled", true);
        if (builder.Roles().Controller && platform && enabled)
        {
            services.AddSingleton<HostProbe>();
            services.AddSingleton<MonitorIdentity>();
            services.AddScoped<MonitorPass>();
            services.AddSingleton<UsageSampler>();
            services.AddHostedService(sp => sp.GetRequiredService<UsageSampler>());
        }
        return builder;
    }

    /// <summary>Times every request for /metrics; goes first so that it sees the whole pipeline.</summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        app.UseMiddleware<RequestMetricsMiddleware>();
        return app;
    }

    /// <summary>/metrics in every role (loopback or token only); the API and pages with the web role.</summary>
    public static WebApplication MapMonitoring(this WebApplication app)
    {
        app.MapGet("/metrics", MetricsEndpoint.GetAsync).ExcludeFromDescription();
        if (app.Roles().Web)
        {
            app.MapMonitoringApi();
        }
        return app;
    }
}
