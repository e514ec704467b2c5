using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Assignments.Similarity;
using Classcloud.Web.Assignments.WorkspaceCli;
using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Assignments (issue 13): the API, the services, and the controller's background pass (delivery, deadline
/// collection, grading), which runs only with the controller role and the container platform.
/// </summary>
public static class AssignmentsSetup
{
    public static WebApplicationBuilder AddAssignments(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AssignmentsOptions>().BindConfiguration(AssignmentsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AssignmentsOptions>, AssignmentsOptionsValidator>();
        services.AddSingleton<SubmissionArchive>();
        services.AddScoped<AssignmentGate>();
        services.AddScoped<AssignmentService>();
        services.AddScoped<SubmissionService>();
        services.AddScoped<AssignmentContainers>();
        services.AddScoped<Collector>();
        services.AddScoped<Grader>();
        services.AddScoped<Gradebook>();
        services.AddScoped<SimilarityService>();
        services.AddScoped<GradingService>();
        builder.AddWorkspaceCli();
        if (builder.Roles().Controller && builder.Configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled"))
        {
            services.AddSingleton<AssignmentScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<AssignmentScheduler>());
        }
        return builder;
    }

    public static WebApplication MapAssignments(this WebApplication app)
    {
        app.MapAssignmentApi();
        return app;
    }
}
