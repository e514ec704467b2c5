using Classcloud.Platform;
using Classcloud.Web.Orchestration;

namespace Classcloud.Web.Workspaces;

/// <summary>What a new warm-pool entry is: a pool workload name, a fresh home volume, a new VNC password and the workspace definition around them.</summary>
public sealed class WarmPoolRecipe(WorkspaceEngine engine, WorkspaceNames names, VncPasswords passwords, TimeProvider time)
{
    /// <summary>This installation's label value (the reconciler keeps what carries it).</summary>
    public string Scope => names.Scope;

    public RegistryCredentials? CredentialsFor(string image) => names.CredentialsFor(image);

    /// <summary>The entry's row (not ready yet) and the definition of its container.</summary>
    public (WarmPoolEntry Entry, WorkloadDefinition Definition) New(WarmPoolWant want)
    {
        var id = names.PoolWorkload();
        var volume = $"{id.Value}-home";
        var vnc = passwords.NewProtected();
        var definition = engine.Definition(want.Kind, want.Image, volume, vnc, workspaceId: null);
        var entry = new WarmPoolEntry
        {
            Id = id.Value, Pool = want.Pool, Kind = want.Kind, Image = want.Image, VolumeName = volume,
            VncPasswordProtected = vnc, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return (entry, definition);
    }
}
