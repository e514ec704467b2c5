using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The platform names of a workspace. The workload id carries the installation's controller scope
/// (<c>&lt;scope&gt;-ws-&lt;id&gt;</c>), so two installations (or test runs) on one engine never collide;
/// each owner gets a tenant network of their own, so workspaces of different users cannot reach each other.
/// </summary>
public sealed class WorkspaceNames(IConfiguration configuration, IOptions<WorkspacesOptions> options)
{
    public const string WorkloadKind = "workspace";

    /// <summary>The kind part of a snapshot's image name (<see cref="ImageNames"/>).</summary>
    public const string SnapshotKind = "workspace";

    readonly string scope = configuration[$"{ControllerOptions.Section}:Scope"] is { Length: > 0 } s ? s : new ControllerOptions().Scope;

    public string Scope => scope;

    /// <summary>
    /// The platform's registry (<c>Classcloud:Platform:Registry</c>): snapshots are pushed there with
    /// its credentials, and the default base images live there. Read from the configuration so the
    /// names are the same whether or not the platform is enabled in this process.
    /// </summary>
    public RegistryOptions Registry { get; } = configuration.GetSection("Classcloud:Platform:Registry").Get<RegistryOptions>() ?? new RegistryOptions();

    /// <summary>The base image of a new workspace: the configured one, else the system image <c>:latest</c> that <c>classcloud images build</c> pushes.</summary>
    public string BaseImage(WorkspaceKind kind) => kind == WorkspaceKind.Desktop
        ? options.Value.DesktopImage ?? ImageNames.System(Registry.Address, "desktop", "latest").ToString()
        : options.Value.TerminalImage ?? ImageNames.System(Registry.Address, "terminal", "latest").ToString();

    /// <summary>Credentials for pulling <paramref name="image"/>: the registry's when the image is in it.</summary>
    public RegistryCredentials? CredentialsFor(string image) =>
        image.StartsWith(Registry.Address + "/", StringComparison.Ordinal) ? Registry.Credentials : null;

    /// <summary>The derived workload id of a workspace; use <see cref="Workload(Workspace)"/> where the row is at hand (a warm-pool workspace keeps the pool's id).</summary>
    public WorkloadId Workload(long workspaceId) => new($"{scope}-ws-{Invariant(workspaceId)}");

    /// <summary>The workspace's workload: the stored one (claimed from the warm pool), else the derived one.</summary>
    public WorkloadId Workload(Workspace w) => Workload(w.Id, w.WorkloadId);

    public WorkloadId Workload(long workspaceId, string? stored) => stored is { } id ? new(id) : Workload(workspaceId);

    /// <summary>The workspace's home volume: the stored one (claimed from the warm pool), else the derived one.</summary>
    public string Volume(Workspace w) => w.VolumeName ?? Volume(w.Id);

    /// <summary>A new warm-pool entry's workload id, <c>&lt;scope&gt;-wp-&lt;random&gt;</c> (nobody owns it yet, so no workspace id).</summary>
    public WorkloadId PoolWorkload() => new($"{scope}-wp-{Guid.NewGuid().ToString("N")[..10]}");

    /// <summary>A short-lived helper container (e.g. archiving home during a save); no Workload row, no scope label.</summary>
    public WorkloadId Helper(long workspaceId) => new($"{scope}-ws-{Invariant(workspaceId)}-helper");

    public string Volume(long workspaceId) => $"{scope}-ws-{Invariant(workspaceId)}-home";

    /// <summary><c>user-&lt;owner&gt;</c>; another scope than the default prefixes it, so test runs keep their own networks.</summary>
    public string Tenant(long ownerId) => scope == new ControllerOptions().Scope ? $"user-{Invariant(ownerId)}" : $"{scope}-user-{Invariant(ownerId)}";

    /// <summary>
    /// Registry reference of snapshot <paramref name="number"/>: <c>&lt;registry&gt;/classcloud/workspace/&lt;owner&gt;/&lt;workspace&gt;:&lt;n&gt;</c>
    /// (<see cref="ImageNames"/>). Another scope than the default prefixes the workspace part, so installations
    /// and test runs sharing a registry never push over each other's tags.
    /// </summary>
    public string Snapshot(long ownerId, long workspaceId, int number)
    {
        var name = scope == new ControllerOptions().Scope ? Invariant(workspaceId) : $"{scope}-{Invariant(workspaceId)}";
        return ImageNames.Create(Registry.Address, SnapshotKind, Invariant(ownerId), name, Invariant(number)).ToString();
    }

    static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
