using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>Classcloud:Workspaces — images, registry and limits of workspaces.</summary>
public sealed class WorkspacesOptions
{
    public const string Section = "Classcloud:Workspaces";

    /// <summary>
    /// Base image of a new terminal workspace (built by images/terminal). Unset: the system image
    /// <c>&lt;Classcloud:Platform:Registry:Address&gt;/classcloud/image/system/terminal:latest</c>.
    /// </summary>
    public string? TerminalImage { get; set; }

    /// <summary>Base image of a new desktop workspace (images/desktop: Xvnc on <see cref="VncPort"/>); unset: the system image <c>desktop:latest</c>.</summary>
    public string? DesktopImage { get; set; }

    /// <summary>Where the home volume is mounted (the images' user classcloud, uid 1000).</summary>
    public string HomePath { get; set; } = "/home/classcloud";

    public int VncPort { get; set; } = 5901;

    /// <summary>Whether workspaces may reach the internet (apt-get, git clone). Off: an internal network.</summary>
    public bool AllowEgress { get; set; } = true;

    public double Cpus { get; set; } = 1;

    public long MemoryBytes { get; set; } = 1024L * 1024 * 1024;

    public int Pids { get; set; } = 1024;

    /// <summary>
    /// CPU cores a workspace is guaranteed, and what admission counts (<see cref="CapacityOptions"/>): an idle terminal
    /// uses almost none, so a class fits where its ceilings (<see cref="Cpus"/>) would not. The ceiling stays enforced.
    /// </summary>
    public double CpuRequest { get; set; } = 0.02;

    /// <summary>Memory a workspace is guaranteed and admission counts (an idle terminal uses ~14 MiB); <see cref="MemoryBytes"/> stays its ceiling.</summary>
    public long MemoryRequestBytes { get; set; } = 96L * 1024 * 1024;

    /// <summary>A running workspace nobody has been connected to for this long is suspended (zero: never).</summary>
    public TimeSpan IdleSuspendAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An idle workspace is stopped after this long without connections (zero: never).</summary>
    public TimeSpan IdleStopAfter { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How often idle workspaces are looked for.</summary>
    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a gateway process writes that someone is still connected (<see cref="Workspace.LastSeenAt"/>);
    /// at most half the idle times, so a workspace in use never looks idle to another process.
    /// </summary>
    public TimeSpan PresenceHeartbeat { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often a gateway process checks its open terminal and desktop connections against the rules again: a
    /// disabled account, a workspace made private, a removed course member or guests turned from control to view
    /// end the connections they no longer allow within this time.
    /// </summary>
    public TimeSpan SessionRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the gateway keeps a terminal session after its browser left (<see cref="Gateway.TerminalParking"/>), so
    /// a reload or a resume takes it over instead of starting a new one; zero: never kept.
    /// </summary>
    public TimeSpan KeepTerminalFor { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Most terminal sessions one gateway process keeps (one per workspace; each is an idle engine connection).</summary>
    public int TerminalSessions { get; set; } = 500;

    /// <summary>How often running workspaces are compared with the engine (a killed container shows as starting, then running).</summary>
    public TimeSpan StateCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a start waits for the engine to report the workspace running. Docker answers at once; on
    /// Kubernetes the pod is scheduled, its image pulled and a new home claim filled first.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many workspaces may run at once; beyond it a start waits in a queue.</summary>
    public CapacityOptions Capacity { get; set; } = new();

    /// <summary>Pre-started workspaces a create hands over at once (<see cref="WarmPool"/>); off by default.</summary>
    public WarmPoolOptions WarmPool { get; set; } = new();

    /// <summary>The sizes offered at create (<see cref="Sizes.WorkspaceSizes"/>); empty: small and standard, from <see cref="Cpus"/> and <see cref="MemoryBytes"/>.</summary>
    public List<Sizes.WorkspaceSizeOptions> Sizes { get; set; } = [];

    /// <summary>Actions waiting for the background worker; beyond this a request is refused with 503.</summary>
    public int QueueCapacity { get; set; } = 200;
}

/// <summary>
/// Classcloud:Workspaces:Capacity — the budget running workspaces share. Each running (or starting,
/// or stopping) workspace counts what it is guaranteed, <see cref="WorkspacesOptions.CpuRequest"/> and
/// <see cref="WorkspacesOptions.MemoryRequestBytes"/>, not its ceilings (as Kubernetes and JupyterHub admit);
/// a suspended one only its memory (a paused container keeps it).
/// </summary>
public sealed class CapacityOptions
{
    /// <summary>Off: every start runs at once (the engine's own limits are the only bound).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CPU cores to share; unset: the engine's cores less <see cref="ReserveCpus"/>, times <see cref="CpuOvercommit"/>.</summary>
    public double? Cpus { get; set; }

    /// <summary>Memory to share; unset: the engine's memory less <see cref="ReserveMemoryBytes"/>.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>Most workspaces running at once; unset: no count limit.</summary>
    public int? MaxRunning { get; set; }

    /// <summary>Cores kept for Classcloud, the database and the engine.</summary>
    public double ReserveCpus { get; set; } = 0.5;

    /// <summary>Memory kept for Classcloud, the database and the engine.</summary>
    public long ReserveMemoryBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>CPU limits are ceilings, not reservations (an idle terminal uses none), so the derived budget may promise more cores than there are.</summary>
    public double CpuOvercommit { get; set; } = 4;

    /// <summary>How often the queue is looked at besides the wake-ups (another process freed capacity, a restart).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}

internal sealed class WorkspacesOptionsValidator : IValidateOptions<WorkspacesOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspacesOptions o)
    {
        var errors = new List<string>();
        if (o.TerminalImage is { } terminal && string.IsNullOrWhiteSpace(terminal) || o.DesktopImage is { } desktop && string.IsNullOrWhiteSpace(desktop))
        {
            errors.Add($"{WorkspacesOptions.Section}: TerminalImage and DesktopImage must be image references when set.");
        }
        if (o.IdleSuspendAfter < TimeSpan.Zero || o.IdleStopAfter < TimeSpan.Zero || o.IdleCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}: IdleSuspendAfter and IdleStopAfter must not be negative, IdleCheckInterval must be positive.");
        }
        if (o.PresenceHeartbeat <= TimeSpan.Zero
            || new[] { o.IdleSuspendAfter, o.IdleStopAfter }.Any(idle => idle > TimeSpan.Zero && idle < 2 * o.PresenceHeartbeat))
        {
            errors.Add($"{WorkspacesOptions.Section}:PresenceHeartbeat must be positive and at most half of IdleSuspendAfter and IdleStopAfter.");
        }
        if (o.KeepTerminalFor < TimeSpan.Zero || o.TerminalSessions < 0)
        {
            errors.Add($"{WorkspacesOptions.Section}: KeepTerminalFor and TerminalSessions must not be negative.");
        }
        if (o.SessionRecheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}:SessionRecheckInterval must be positive.");
        }
        if (o.StateCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}:StateCheckInterval must be positive.");
        }
        if (o.StartTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}:StartTimeout must be positive.");
        }
        var c = o.Capacity;
        if (c.Cpus <= 0 || c.MemoryBytes <= 0 || c.MaxRunning < 1 || c.ReserveCpus < 0 || c.ReserveMemoryBytes < 0 || c.CpuOvercommit <= 0
            || c.CheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}:Capacity: Cpus, MemoryBytes, MaxRunning, CpuOvercommit and CheckInterval must be positive, the reserves not negative.");
        }
        if (!o.HomePath.StartsWith('/'))
        {
            errors.Add($"{WorkspacesOptions.Section}:HomePath must be absolute.");
        }
        if (o.Cpus <= 0 || o.MemoryBytes < 16L * 1024 * 1024 || o.Pids < 16 || o.QueueCapacity < 1 || o.VncPort is < 1 or > 65535)
        {
            errors.Add($"{WorkspacesOptions.Section}: Cpus, MemoryBytes (≥ 16 MiB), Pids (≥ 16), QueueCapacity and VncPort must be sensible.");
        }
        if (o.CpuRequest <= 0 || o.CpuRequest > o.Cpus || o.MemoryRequestBytes < 1024 * 1024 || o.MemoryRequestBytes > o.MemoryBytes)
        {
            errors.Add($"{WorkspacesOptions.Section}: CpuRequest and MemoryRequestBytes must be positive and at most Cpus and MemoryBytes.");
        }
        errors.AddRange(Sizes.WorkspaceSizes.Problems(o));
        var p = o.WarmPool;
        if (p.Terminal is < 0 or > 100 || p.Desktop is < 0 or > 100 || p.PerEnvironment is < 0 or > 100
            || p.CheckInterval <= TimeSpan.Zero || p.MakeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{WorkspacesOptions.Section}:WarmPool: Terminal, Desktop and PerEnvironment must be 0–100, CheckInterval and MakeTimeout positive.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
