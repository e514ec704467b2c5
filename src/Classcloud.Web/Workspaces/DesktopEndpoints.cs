using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>Where the gateway reaches a desktop workspace's VNC server (its address on the owner's network, the port) and the password it answers to.</summary>
public sealed class DesktopEndpoints(WorkspaceEngine engine, VncPasswords passwords, IOptions<WorkspacesOptions> options)
{
    public int Port => options.Value.VncPort;

    /// <summary>Null while there is no address yet (a desktop just claimed from the warm pool is moving to its owner's network).</summary>
    public Task<string?> AddressAsync(Workspace w, CancellationToken ct) => engine.AddressAsync(w, ct);

    public string Password(Workspace w) => passwords.Reveal(w.VncPasswordProtected);
}
