using Classcloud.Web.Hosting;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// The <c>classcloud</c> command of course workspaces: the token and mount at start (any role that starts workspaces
/// asks <see cref="WorkspaceCliAccess"/>), and the socket server in the web role, only with the Docker driver.
/// </summary>
public static class WorkspaceCliSetup
{
    public static WebApplicationBuilder AddWorkspaceCli(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<WorkspaceCliFiles>();
        services.AddScoped<WorkspaceCliAccess>();
        services.AddScoped<WorkspaceCliAuthentication>();
        services.AddScoped<WorkspaceCliCommands>();
        services.AddScoped<WorkspaceCliTests>();
        var on = builder.Configuration.GetValue($"{AssignmentsOptions.Section}:{nameof(AssignmentsOptions.WorkspaceCli)}", true);
        if (on && builder.Roles().Web && builder.Configuration.GetValue<bool>($"{Platform.PlatformSetup.Section}:Enabled"))
        {
            services.AddHostedService<WorkspaceCliServer>();
        }
        return builder;
    }
}
