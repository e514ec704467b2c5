using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

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
        // Tests run several hosts in one process and OpenTelemetry subscribes to meters by name, so
        // each test host names its meter apart; one host per process (production) keeps the default.
        var meterName = builder.Configuration[$"{MetricsOptions.Section}:MeterName"] is { Length: > 0 } name ? name : ClasscloudMetrics.DefaultMeterName;
        services.AddSingleton(sp => new ClasscloudMetrics(meterName, sp.GetRequiredService<UsageSnapshot>(), sp));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(meterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter(o =>
            {
                o.ScrapeResponseCacheDurationMilliseconds = 0;  // every scrape sees the sampler's latest reading
                o.ScopeInfoEnabled = false;   // the series keep the labels they always had
                o.TargetInfoEnabled = false;
            }));
        services.AddScoped<AlertService>();
        services.AddScoped<CrashNotices>();
        var platform = builder.Configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled");
        var enabled = builder.Configuration.GetValue($"{MonitoringOptions.Section}:Enabled", true);
        if (builder.Roles().Controller && platform && enabled)
        {
            services.AddSingleton<HostProbe>();
            services.AddSingleton<MonitorIdentity>();
            services.AddScoped<MonitorPass>();
            // The monitor in slices (issue 11): the loop, one pass, and what each pass reads.
            services.AddSingleton<MachineSampler>();
            services.AddSingleton<WorkloadSampler>();
            services.AddSingleton<RegistrySampler>();
            services.AddSingleton<OomWatch>();
            services.AddSingleton<UsagePass>();
            services.AddSingleton<UsageSampler>();
            services.AddHostedService(sp => sp.GetRequiredService<UsageSampler>());
            services.AddHostedService<HomeDiskWatcher>();
        }
        return builder;
    }

    /// <summary>Times every request for /metrics; goes first so that it sees the whole pipeline.</summary>
    public static WebApplication UseRequestMetrics(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ClasscloudMetrics>(); // its gauges exist before the first scrape
        app.UseMiddleware<RequestMetricsMiddleware>();
        return app;
    }

    /// <summary>/metrics in every role (loopback or token only); the API and pages with the web role.</summary>
    public static WebApplication MapMonitoring(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics", null, branch => branch.Use(MetricsAccess.GuardAsync), null).ExcludeFromDescription();
        if (app.Roles().Web)
        {
            app.MapMonitoringApi();
        }
        return app;
    }
}
