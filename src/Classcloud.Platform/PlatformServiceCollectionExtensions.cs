using Classcloud.Platform.Docker;
using Classcloud.Platform.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Classcloud.Platform;

/// <summary>Registration of the container platform.</summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>
    /// Registers every driver as a keyed <see cref="IContainerPlatform"/> (key: the driver name) and
    /// the one chosen by <c>Driver</c> in <paramref name="configuration"/> as the unkeyed service
    /// (as .NET Aspire does with its Docker and Podman runtimes). A bad value fails options
    /// validation at start with a message naming the key.
    /// </summary>
    public static IServiceCollection AddContainerPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var path = configuration is IConfigurationSection section ? section.Path : "Platform";
        services.AddOptions<PlatformOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlatformOptions>>(new PlatformOptionsValidator(path));
        services.TryAddSingleton(TimeProvider.System);

        services.AddKeyedSingleton<IContainerPlatform>(PlatformInfo.DockerDriver, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PlatformOptions>>().Value;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<DockerPlatform>() ?? NullLogger<DockerPlatform>.Instance;
            return new DockerPlatform(new DockerClient(options.Docker), options.Defaults, sp.GetRequiredService<TimeProvider>(), logger);
        });
        services.AddKeyedSingleton<IContainerPlatform>(PlatformInfo.KubernetesDriver, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PlatformOptions>>().Value;
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<KubernetesPlatform>() ?? NullLogger<KubernetesPlatform>.Instance;
            return new KubernetesPlatform(new KubeApi(options.Kubernetes),
                new KubeObjects(options.Kubernetes, options.Defaults), sp.GetRequiredService<TimeProvider>(), logger);
        });
        services.AddSingleton(sp => new Registry.RegistryClient(
            sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Registry, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
            sp.GetRequiredKeyedService<IContainerPlatform>(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Driver.ToLowerInvariant()));
        return services;
    }
}
