using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Gateway;
using Classcloud.Web.Workspaces.ClassView;
using Classcloud.Web.Workspaces.Files;
using Classcloud.Web.Workspaces.Sizes;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Workspaces (issue 5): the API, pages, the background worker and the gateway's targets. Without
/// the container platform the API still answers; actions that need the engine end in error with the reason.
/// </summary>
public static class WorkspacesSetup
{
    public static WebApplicationBuilder AddWorkspaces(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WorkspacesOptions>().BindConfiguration(WorkspacesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkspacesOptions>, WorkspacesOptionsValidator>();
        services.AddSingleton<WorkspaceNames>();
        services.AddSingleton<WorkspaceQueue>();
        services.AddSingleton<WorkspaceSizes>();
        services.AddSingleton<WorkspaceAdmission>();
        services.AddScoped<WorkspaceAccessRules>();
        // The workspace use cases, one slice each (issue 11): read, create, edit, act; the pieces they share.
        services.AddScoped<WorkspaceReader>();
        services.AddScoped<WorkspaceRequestRules>();
        services.AddScoped<WorkspaceAllowance>();
        services.AddSingleton<VncPasswords>();
        services.AddScoped<WorkspaceHandOff>();
        services.AddScoped<WorkspaceAdder>();
        services.AddScoped<WorkspaceCreation>();
        services.AddScoped<WorkspaceEditing>();
        services.AddScoped<WorkspaceActions>();
        services.AddScoped<WorkspaceKeys>();
        services.AddScoped<WorkspaceLoading>();
        services.AddScoped<CourseEnvironments>();
        services.AddScoped<EnvironmentProvisioning>();
        services.AddScoped<CourseWorkspaces>();
        services.AddScoped<ClassViewService>();
        services.AddScoped<RaisedHands>();
        services.AddScoped<SnapshotCollector>();
        services.AddScoped<WorkspaceEngine>();
        // The warm pool in slices (issue 11): the refill pass, what it plans, makes and removes, and a create's claim.
        services.AddScoped<WarmPool>();
        services.AddScoped<WarmPoolPlan>();
        services.AddScoped<WarmPoolRecipe>();
        services.AddScoped<WarmPoolMaker>();
        services.AddScoped<WarmPoolRemoval>();
        services.AddScoped<WarmPoolClaim>();
        services.AddSingleton<WarmPoolRefiller>();
        services.AddScoped<HomeArchiver>();
        services.AddScoped<LayeredSave>();
        services.AddScoped<DesktopEndpoints>();
        services.AddScoped<IGatewayTargets, GatewayTargets>();
        services.AddScoped<IAccountEraser, WorkspaceEraser>();
        services.AddScoped<IAccountEraser, TenantNetworkEraser>();
        services.AddWorkspaceFiles();
        if (builder.Roles().Web)
        {
            services.AddHostedService<WorkspaceWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<WorkspaceAdmission>());
            services.AddSingleton<IdleClock>();
            services.AddHostedService<IdleWatcher>();
            services.AddHostedService<WorkspaceStateWatcher>();
            services.AddHostedService<CourseProvisioner>();
        }
        if (builder.Roles().Controller)
        {
            // Refills only while this host leads the controller (WarmPoolRefiller).
            services.AddHostedService(sp => sp.GetRequiredService<WarmPoolRefiller>());
        }
        return builder;
    }

    public static WebApplication MapWorkspaces(this WebApplication app)
    {
        app.MapWorkspaceApi();
        app.MapCourseEnvironmentApi();
        app.MapCourseWorkspaceApi();
        app.MapClassViewApi();
        app.MapRaisedHandApi();
        app.MapWorkspaceSizeApi();
        app.MapWorkspaceFileApi();
        return app;
    }
}
