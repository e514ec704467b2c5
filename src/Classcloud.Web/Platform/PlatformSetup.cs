using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Platform;

/// <summary>
/// The container platform in the host. Off by default until workloads exist (issue 3): with
/// <c>Classcloud:Platform:Enabled=true</c> the driver is registered and /readyz reports the engine, the registry
/// and (Docker driver) the workload egress rules.
/// </summary>
public static class PlatformSetup
{
    public const string Section = "Classcloud:Platform";

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>($"{Section}:Enabled"))
        {
            // Taken in constructors everywhere; it says why nothing runs (PlatformFeatures.Enabled is false).
            builder.Services.AddSingleton<IContainerPlatform>(
                new DisabledPlatform("The container platform is not enabled on this server (Classcloud:Platform:Enabled)."));
            return builder;
        }
        builder.Services.AddContainerPlatform(builder.Configuration.GetSection(Section));
        builder.Services.AddSingleton<IReadinessCheck, EngineReadiness>();
        builder.Services.AddSingleton<IReadinessCheck, RegistryReadiness>();
        // The Docker driver's workloads rely on the host's egress rules; off for an engine on another machine.
        var docker = builder.Configuration.GetValue($"{Section}:Driver", PlatformInfo.DockerDriver) == PlatformInfo.DockerDriver;
        if (builder.Configuration.GetValue($"{Section}:EgressCheck", docker))
        {
            builder.Services.AddSingleton<IReadinessCheck, EgressReadiness>();
        }
        return builder;
    }
}

internal sealed class EngineReadiness(IContainerPlatform platform) : IReadinessCheck
{
    public string Name => "engine";

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        await platform.GetEngineInfoAsync(ct);
        return true;
    }
}

internal sealed class RegistryReadiness(RegistryClient registry) : IReadinessCheck
{
    public string Name => "registry";

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        await registry.PingAsync(ct);
        return true;
    }
}
