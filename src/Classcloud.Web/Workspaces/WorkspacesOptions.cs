using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>Classcloud:Workspaces — images, registry and limits of workspaces.</summary>
public sealed class WorkspacesOptions
{
    public const string Section = "Classcloud:Workspaces";

    /// <summary>Base image of a new terminal workspace (built by images/terminal).</summary>
    public string TerminalImage { get; set; } = "127.0.0.1:5000/classcloud/image/system/terminal:1";

    /// <summary>Base image of a new desktop workspace (images/desktop: Xvnc on <see cref="VncPort"/>).</summary>
    public string DesktopImage { get; set; } = "127.0.0.1:5000/classcloud/image/system/desktop:1";

    /// <summary>Registry (host:port) snapshots are pushed to.</summary>
    public string Registry { get; set; } = "127.0.0.1:5000";

    /// <summary>Talk plain HTTP to the registry (a registry on loopback needs no TLS).</summary>
    public bool RegistryInsecure { get; set; } = true;

    /// <summary>Repository path under the registry: snapshots are &lt;registry&gt;/&lt;prefix&gt;/&lt;owner&gt;/&lt;workspace&gt;:&lt;n&gt;.</summary>
    public string RepositoryPrefix { get; set; } = "classcloud/workspace";

    /// <summary>Where the home volume is mounted (the images' user classcloud, uid 1000).</summary>
    public string HomePath { get; set; } = "/home/classcloud";

    public int VncPort { get; set; } = 5901;

    /// <summary>Whether workspaces may reach the internet (apt-get, git clone). Off: an internal network.</summary>
    public bool AllowEgress { get; set; } = true;

    public double Cpus { get; set; } = 1;

    public long MemoryBytes { get; set; } = 1024L * 1024 * 1024;

    public int Pids { get; set; } = 1024;

    /// <summary>A running workspace nobody has been connected to for this long is suspended (zero: never).</summary>
    public TimeSpan IdleSuspendAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An idle workspace is stopped after this long without connections (zero: never).</summary>
    public TimeSpan IdleStopAfter { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How often idle workspaces are looked for.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Actions waiting for the background worker; beyond this a request is refused with 503.</summary>
    public int QueueCapacity { get; set; } = 200;
}

internal sealed class WorkspacesOptionsValidator : IValidateOptions<WorkspacesOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspacesOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.TerminalImage) || string.IsNullOrWhiteSpace(o.DesktopImage) || string.IsNullOrWhiteSpace(o.Registry))
        {
            errors.Add($"{WorkspacesOptions.Section}: TerminalImage, DesktopImage and Registry are required.");
        }
        if (o.RepositoryPrefix.Length == 0 || o.RepositoryPrefix.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '-' or '.' or '_')))
        {
            errors.Add($"{WorkspacesOptions.Section}:RepositoryPrefix must be a lowercase repository path (got '{o.RepositoryPrefix}').");
        }
        if (o.IdleSuspendAfter < TimeSpan.Zero || o.IdleStopAfter < TimeSpan.Zero || o.IdleCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}: IdleSuspendAfter and IdleStopAfter must not be negative, IdleCheckInterval must be positive.");
        }
        if (!o.HomePath.StartsWith('/'))
        {
            errors.Add($"{WorkspacesOptions.Section}:HomePath must be absolute.");
        }
        if (o.Cpus <= 0 || o.MemoryBytes < 16L * 1024 * 1024 || o.Pids < 16 || o.QueueCapacity < 1 || o.VncPort is < 1 or > 65535)
        {
            errors.Add($"{WorkspacesOptions.Section}: Cpus, MemoryBytes (≥ 16 MiB), Pids (≥ 16), QueueCapacity and VncPort must be sensible.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
