using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Projects.Deploy;
using Classcloud.Web.Projects.Domains;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Projects.Serve;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects;

/// <summary>
/// Projects (issue 14): the API and pages (web role), builds (web role), the apps gateway (gateway role) and
/// scale to zero (controller role).
/// </summary>
public static class ProjectsSetup
{
    public static WebApplicationBuilder AddProjects(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ProjectsOptions>().BindConfiguration(ProjectsOptions.Section);
        services.AddSingleton<ProjectNames>();
        services.AddSingleton<SourceArchive>();
        services.AddSingleton<BuildQueue>();
        services.AddSingleton<AppActivator>();
        services.AddSingleton<AppSessions>();
        services.AddSingleton<AppGateway>();
        services.AddHttpForwarder();
        services.AddScoped<ProjectRules>();
        services.AddScoped<ProjectService>();
        services.AddScoped<ProjectOperations>();
        services.AddScoped<ProjectRuntime>();
        services.AddScoped<ProjectBuilder>();
        services.AddSingleton<GitCloner>();
        services.AddSingleton<GitAddresses>();
        services.AddSingleton<IHostResolver, DnsHostResolver>();
        services.AddScoped<GitSources>();
        services.AddScoped<GitHooks>();
        services.AddScoped<ProjectDomains>();
        services.AddSingleton<DomainIndex>();
        services.AddSingleton<ITxtResolver, DnsTxtResolver>();
        services.AddScoped<IAccountEraser, ProjectEraser>();
        if (builder.Roles().Web)
        {
            services.AddHostedService<BuildWorker>();
        }
        if (builder.Roles().Gateway)
        {
            // The gateway counts the requests in flight, so it decides how many instances they need.
            services.AddHostedService<AppAutoscaler>();
        }
        if (builder.Roles().Controller)
        {
            services.AddHostedService<IdleScaler>();
        }
        return builder;
    }

    /// <summary>First in the pipeline: a request for an app never reaches the platform's sign-in, antiforgery or pages.</summary>
    public static WebApplication UseAppsGateway(this WebApplication app)
    {
        if (app.Roles().Gateway)
        {
            var gateway = app.Services.GetRequiredService<AppGateway>();
            app.Use(async (context, next) =>
            {
                if (await gateway.TargetAsync(context) is { } target)
                {
                    await gateway.HandleAsync(context, target);
                }
                else
                {
                    await next(context);
                }
            });
        }
        return app;
    }

    public static WebApplication MapProjects(this WebApplication app)
    {
        app.MapProjectApi();
        app.MapGitHooks();
        app.MapProjectDomains();
        // A browser redirect of the sign-in handshake, not part of the JSON API.
        app.MapGet("/apps/{name}/open", OpenAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>The platform's half of the handshake: a signed-in visitor who may open the app goes there with a one-minute ticket.</summary>
    static async Task<IResult> OpenAsync(string name, string? @return, ClaimsPrincipal user, ClasscloudDb db, ProjectRules rules, ProjectNames names,
        AppSessions sessions, IStringLocalizer<Localization.SharedResource> t, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, ct);
        var caller = Caller.From(user);
        if (project is null || !await rules.MayOpenAsync(project, caller.UserId, caller.IsAdmin, ct))
        {
            return TypedResults.Problem(t["There is no such app, or you may not open it."], statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        var back = @return is { Length: > 0 } r && r.StartsWith('/') ? r : "/";
        return TypedResults.Redirect($"{names.Url(project.Name).TrimEnd('/')}{AppSessions.SessionPath}?ticket={Uri.EscapeDataString(sessions.Ticket(project.Id, caller.UserId))}&return={Uri.EscapeDataString(back)}");
    }
}
