namespace Classcloud.Web.Workloads;

/// <summary>The administrators' container console (API and pages); it works with the platform off too, answering 503 to changes.</summary>
public static class WorkloadsSetup
{
    public static WebApplicationBuilder AddWorkloadConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WorkloadConsoleService>();
        builder.Services.AddScoped<WorkloadStreams>();
        return builder;
    }

    public static WebApplication MapWorkloadConsole(this WebApplication app)
    {
        app.MapWorkloadApi();
        return app;
    }
}
