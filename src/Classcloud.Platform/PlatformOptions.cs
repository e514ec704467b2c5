namespace Classcloud.Platform;

/// <summary>Configuration of the container platform (section <c>Classcloud:Platform</c> in the host).</summary>
public sealed class PlatformOptions
{
    /// <summary>Which driver: <c>docker</c> (the only one so far).</summary>
    public string Driver { get; set; } = PlatformInfo.DockerDriver;

    /// <summary>How to reach the Docker Engine.</summary>
    public DockerOptions Docker { get; set; } = new();

    /// <summary>Limits and user applied when a spec leaves them unset.</summary>
    public WorkloadDefaults Defaults { get; set; } = new();

    /// <summary>The image registry Classcloud pushes to and reports on.</summary>
    public RegistryOptions Registry { get; set; } = new();
}

/// <summary>How to reach the image registry (the embedded distribution registry, or Harbor and the like).</summary>
public sealed class RegistryOptions
{
    /// <summary>Host and port, as in image references (<c>127.0.0.1:5000</c>, <c>harbor.example.ac.kr</c>).</summary>
    public string Address { get; set; } = "127.0.0.1:5000";

    /// <summary>User for basic auth, or for the token service of a bearer-token registry.</summary>
    public string? Username { get; set; }

    /// <summary>Password or robot token; kept out of logs.</summary>
    public string? Password { get; set; }

    /// <summary>Plain HTTP instead of HTTPS. Null: plain for a loopback address only (as the engine allows).</summary>
    public bool? Insecure { get; set; }

    /// <summary>Time limit for one registry request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether requests go over plain HTTP.</summary>
    public bool UsesPlainHttp => Insecure ?? IsLoopback(Address);

    /// <summary>The credentials for pushes and pulls through the engine, if any.</summary>
    public RegistryCredentials? Credentials => Username is { Length: > 0 } user ? new RegistryCredentials(Address, user, Password ?? "") : null;

    static bool IsLoopback(string address)
    {
        var host = address;
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }
}

/// <summary>How to reach the Docker Engine API.</summary>
public sealed class DockerOptions
{
    /// <summary><c>unix:///var/run/docker.sock</c> or <c>tcp://host:2376</c> (TLS when certificates are given).</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>PEM file of the CA that signed the engine's certificate (TCP only).</summary>
    public string? CaCertificate { get; set; }

    /// <summary>PEM file of the client certificate (TCP only).</summary>
    public string? ClientCertificate { get; set; }

    /// <summary>PEM file of the client certificate's private key (TCP only).</summary>
    public string? ClientKey { get; set; }

    /// <summary>Time limit for one request that is not a stream (streams, pulls, pushes and builds have none).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}

/// <summary>What a workload gets when its spec does not say.</summary>
public sealed class WorkloadDefaults
{
    /// <summary>CPU cores.</summary>
    public double Cpus { get; set; } = 1;

    /// <summary>Memory limit in bytes.</summary>
    public long MemoryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Process and thread limit.</summary>
    public int Pids { get; set; } = 512;

    /// <summary>Numeric <c>uid:gid</c> of the main process.</summary>
    public string User { get; set; } = "1000:1000";
}
