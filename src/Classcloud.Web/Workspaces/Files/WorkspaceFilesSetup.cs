using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>Uploads into and downloads from a running workspace's home (issue 17, the session toolbar).</summary>
public static class WorkspaceFilesSetup
{
    public static IServiceCollection AddWorkspaceFiles(this IServiceCollection services)
    {
        services.AddOptions<WorkspaceFilesOptions>().BindConfiguration(WorkspaceFilesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkspaceFilesOptions>, WorkspaceFilesOptionsValidator>();
        services.AddScoped<WorkspaceFileAccess>();
        services.AddScoped<HomeUploads>();
        services.AddScoped<HomeDownloads>();
        return services;
    }
}
