namespace Classcloud.Platform;

/// <summary>What the engine knows about a local image.</summary>
/// <param name="Id">Content id (<c>sha256:…</c>).</param>
/// <param name="Tags">References pointing at it.</param>
/// <param name="Digests">Registry digests (<c>repo@sha256:…</c>) once pushed or pulled.</param>
/// <param name="SizeBytes">Size on disk.</param>
/// <param name="Created">When it was built.</param>
/// <param name="Labels">Its labels.</param>
public sealed record ImageInfo(
    string Id,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Digests,
    long SizeBytes,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>A build from a context (a tar stream holding the Dockerfile and the files it copies).</summary>
public sealed record ImageBuildRequest
{
    /// <summary>The reference to tag the result with.</summary>
    public required string Tag { get; init; }

    /// <summary>Path of the Dockerfile inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary><c>ARG</c> values.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels added to the image.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Ignore cached layers.</summary>
    public bool NoCache { get; init; }
}

/// <summary>Credentials for one registry.</summary>
/// <param name="ServerAddress">Registry host (and port), e.g. <c>registry.example.ac.kr</c>.</param>
/// <param name="Username">User name.</param>
/// <param name="Password">Password or token.</param>
public sealed record RegistryCredentials(string ServerAddress, string Username, string Password)
{
    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"{Username}@{ServerAddress}";
}

/// <summary>Volume details.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Labels">Its labels.</param>
public sealed record VolumeInfo(string Name, IReadOnlyDictionary<string, string> Labels);

/// <summary>A tenant's private network.</summary>
/// <param name="Tenant">The tenant name.</param>
/// <param name="Internal">No traffic leaves the network (no internet, no host).</param>
/// <param name="Subnet">Its address range, if the engine reports one.</param>
public sealed record TenantNetworkInfo(string Tenant, bool Internal, string? Subnet);

/// <summary>Facts about the engine behind the platform.</summary>
/// <param name="Driver">Driver name (<c>docker</c>).</param>
/// <param name="Version">Engine version.</param>
/// <param name="ApiVersion">API version the driver speaks.</param>
/// <param name="Cpus">CPU cores of the host.</param>
/// <param name="MemoryBytes">Memory of the host.</param>
/// <param name="RunningInstances">Containers (or pods) running, Classcloud's or not.</param>
/// <param name="Details">Driver-specific facts (cgroup version, storage driver, …).</param>
public sealed record EngineInfo(
    string Driver,
    string Version,
    string ApiVersion,
    int Cpus,
    long MemoryBytes,
    int RunningInstances,
    IReadOnlyDictionary<string, string> Details);
