using System.Security.Claims;
using Classcloud.Platform;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Gateway;

/// <summary>Which bridge a connection asks for.</summary>
public enum GatewayChannel
{
    Terminal,
    Vnc,
}

/// <summary>
/// Where a permitted connection goes and what the person may do there.
/// <paramref name="CanControl"/> false means view only: the gateway drops their input.
/// </summary>
public sealed record GatewayTarget(
    long WorkspaceId,
    long UserId,
    string DisplayName,
    bool CanControl,
    WorkloadId Workload,
    string? VncHost,
    int VncPort,
    string? VncPassword);

/// <summary>
/// Decides whether a user may connect to a workspace now (owner, guest per the workspace's
/// setting, course educator, administrator), resumes a suspended workspace, records a non-owner
/// connection in the audit log, and says where to connect. Implemented by the Workspaces feature.
/// </summary>
public interface IGatewayTargets
{
    Task<Outcome<GatewayTarget>> ResolveAsync(long workspaceId, ClaimsPrincipal user, GatewayChannel channel, CancellationToken ct);

    /// <summary>
    /// Whether a connection admitted earlier may go on as it was admitted: the user still active and allowed in, and
    /// still in control when they were. Reads only (no resume, no audit); <see cref="SessionRecheck"/> asks it.
    /// </summary>
    Task<bool> StillAllowedAsync(long workspaceId, long userId, bool hadControl, CancellationToken ct);
}

/// <summary>One person connected to a workspace through the gateway.</summary>
public sealed record PresenceEntry(long UserId, string DisplayName, bool CanControl, GatewayChannel Channel, DateTimeOffset Since);

/// <summary>
/// Who is connected to which workspace right now (in memory, this process). The gateway joins on
/// connect and disposes on disconnect; idle stop reads <see cref="LastSeen"/>; pages list <see cref="Who"/>.
/// </summary>
public interface IWorkspacePresence
{
    IDisposable Join(long workspaceId, PresenceEntry entry);

    IReadOnlyList<PresenceEntry> Who(long workspaceId);

    /// <summary>Now while anyone is connected, else when the last one left; null when nobody connected since start.</summary>
    DateTimeOffset? LastSeen(long workspaceId);

    /// <summary>Sends a notice (e.g. an idle-stop warning) to everyone connected by terminal as a JSON text frame.</summary>
    void Notify(long workspaceId, string type, string message);
}
