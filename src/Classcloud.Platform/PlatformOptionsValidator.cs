using Microsoft.Extensions.Options;

namespace Classcloud.Platform;

internal sealed class PlatformOptionsValidator(string path) : IValidateOptions<PlatformOptions>
{
    static readonly string[] KnownDrivers = [PlatformInfo.DockerDriver];

    public ValidateOptionsResult Validate(string? name, PlatformOptions options)
    {
        var errors = new List<string>();
        if (!KnownDrivers.Contains(options.Driver, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{path}:Driver must be one of: {string.Join(", ", KnownDrivers)} (got '{options.Driver}').");
        }
        var docker = options.Docker;
        if (!Uri.TryCreate(docker.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("unix" or "tcp"))
        {
            errors.Add($"{path}:Docker:Endpoint must be unix:///path/to/docker.sock or tcp://host:port (got '{docker.Endpoint}').");
        }
        if ((docker.ClientCertificate is null) != (docker.ClientKey is null))
        {
            errors.Add($"{path}:Docker:ClientCertificate and ClientKey go together.");
        }
        if (endpoint?.Scheme == "unix" && (docker.ClientCertificate ?? docker.CaCertificate) is not null)
        {
            errors.Add($"{path}:Docker: TLS certificates apply to a tcp:// endpoint only.");
        }
        var defaults = options.Defaults;
        if (defaults.Cpus <= 0 || defaults.MemoryBytes < 6 * 1024 * 1024 || defaults.Pids < 1)
        {
            errors.Add($"{path}:Defaults: Cpus, MemoryBytes (at least 6 MiB, the engine's minimum) and Pids must be positive.");
        }
        if (!SecurityDefaults.TryParseUser(defaults.User, out _))
        {
            errors.Add($"{path}:Defaults:User must be a numeric uid or uid:gid other than 0 (got '{defaults.User}').");
        }
        var registry = options.Registry;
        if (string.IsNullOrWhiteSpace(registry.Address) || registry.Address.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate($"http://{registry.Address}/", UriKind.Absolute, out _))
        {
            errors.Add($"{path}:Registry:Address must be host[:port] without a scheme (got '{registry.Address}').");
        }
        if (registry.Password is { Length: > 0 } && registry.Username is not { Length: > 0 })
        {
            errors.Add($"{path}:Registry:Password needs a Username.");
        }
        if (registry.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:Registry:RequestTimeout must be positive.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
