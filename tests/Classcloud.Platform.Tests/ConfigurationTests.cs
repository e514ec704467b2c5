using Classcloud.Platform.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Classcloud.Platform.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void The_configured_driver_is_the_unkeyed_service_and_each_driver_is_keyed()
    {
        using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "Docker" });
        var chosen = services.GetRequiredService<IContainerPlatform>();
        Assert.Same(services.GetRequiredKeyedService<IContainerPlatform>("docker"), chosen);
    }

    [Fact]
    public void An_unknown_driver_is_a_configuration_error_naming_the_key()
    {
        using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Driver"] = "podman" });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IContainerPlatform>());
        Assert.Equal("Classcloud:Platform:Driver must be one of: docker, kubernetes (got 'podman').", Assert.Single(ex.Failures));
    }

    [Theory]
    [InlineData("Classcloud:Platform:Docker:Endpoint", "http://localhost:2375", "Classcloud:Platform:Docker:Endpoint must be unix:///path/to/docker.sock or tcp://host:port (got 'http://localhost:2375').")]
    [InlineData("Classcloud:Platform:Defaults:User", "0", "Classcloud:Platform:Defaults:User must be a numeric uid or uid:gid other than 0 (got '0').")]
    [InlineData("Classcloud:Platform:Docker:ClientKey", "/k.pem", "Classcloud:Platform:Docker:ClientCertificate and ClientKey go together.")]
    public void Bad_values_are_reported_with_their_key(string key, string value, string message)
    {
        using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IContainerPlatform>());
        Assert.Contains(message, ex.Failures);
    }

    [Fact]
    public async Task An_unreachable_engine_is_unavailable_with_the_endpoint_in_the_message()
    {
        using var services = EngineFixture.CreateServices(new Dictionary<string, string?> { ["Classcloud:Platform:Docker:Endpoint"] = "unix:///nonexistent/docker.sock" });
        var platform = services.GetRequiredService<IContainerPlatform>();
        var ex = await Assert.ThrowsAsync<PlatformUnavailableException>(() => platform.GetEngineInfoAsync(CancellationToken.None));
        Assert.StartsWith("The Docker Engine at unix:///nonexistent/docker.sock cannot be reached:", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PlatformUnavailableException>(() => platform.StartAsync(new WorkloadId("x"), CancellationToken.None));
    }

    [Theory]
    [InlineData("ws-12", true)]
    [InlineData("a", true)]
    [InlineData("Ws-12", false)]
    [InlineData("-ws", false)]
    [InlineData("ws-", false)]
    [InlineData("ws_12", false)]
    [InlineData("", false)]
    [InlineData("a23456789012345678901234567890123456789012345678901", false)]  // 51 characters
    public void Workload_ids_are_short_dns_labels(string value, bool valid)
    {
        Assert.Equal(valid, WorkloadId.IsValid(value));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => new WorkloadId(value));
        }
    }
}
