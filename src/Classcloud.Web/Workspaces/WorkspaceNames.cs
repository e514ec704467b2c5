using System.Globalization;
using Classcloud.Platform;
using Classcloud.Web.Controller;
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

    readonly string scope = configuration[$"{ControllerOptions.Section}:Scope"] is { Length: > 0 } s ? s : new ControllerOptions().Scope;

    public string Scope => scope;

    public WorkloadId Workload(long workspaceId) => new($"{scope}-ws-{Invariant(workspaceId)}");

    /// <summary>A short-lived helper container (e.g. archiving home during a save); no Workload row, no scope label.</summary>
    public WorkloadId Helper(long workspaceId) => new($"{scope}-ws-{Invariant(workspaceId)}-helper");

    public string Volume(long workspaceId) => $"{scope}-ws-{Invariant(workspaceId)}-home";

    /// <summary><c>user-&lt;owner&gt;</c>; another scope than the default prefixes it, so test runs keep their own networks.</summary>
    public string Tenant(long ownerId) => scope == new ControllerOptions().Scope ? $"user-{Invariant(ownerId)}" : $"{scope}-user-{Invariant(ownerId)}";

    /// <summary>Registry reference of snapshot <paramref name="number"/>: &lt;registry&gt;/&lt;prefix&gt;/&lt;owner&gt;/&lt;workspace&gt;:&lt;n&gt;.</summary>
    public string Snapshot(long ownerId, long workspaceId, int number)
    {
        var o = options.Value;
        return $"{o.Registry}/{o.RepositoryPrefix}/{Invariant(ownerId)}/{Invariant(workspaceId)}:{Invariant(number)}";
    }

    static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
