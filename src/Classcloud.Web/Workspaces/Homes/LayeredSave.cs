using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Saves a workspace where the platform cannot commit a container (Kubernetes; docs/kubernetes.md):
/// the snapshot is the workspace's own image plus one layer holding the home directory. A short-lived
/// helper streams home as a tar (<see cref="HomeArchiver"/>), <see cref="HomeLayer"/> puts it under the
/// home path, and <see cref="ImageLayering"/> pushes image + layer through the registry API, mounting the
/// image's layers rather than copying them. Packages installed outside home are not kept — a workspace
/// user cannot write there on such a platform anyway (non-root, no privilege escalation).
/// </summary>
public sealed class LayeredSave(IServiceProvider services, WorkspaceNames names, HomeArchiver archiver, IOptions<WorkspacesOptions> options, TimeProvider time)
{
    /// <summary>The history entry of the home layer (what <c>docker history</c> shows).</summary>
    public const string CreatedBy = "classcloud save: home";

    /// <summary>Pushes <paramref name="reference"/>; <paramref name="report"/> gets the bytes uploaded so far.</summary>
    public async Task<LayeredImage> SaveAsync(Workspace w, string reference, Action<long> report, CancellationToken ct)
    {
        var registry = services.GetService<RegistryClient>()
            ?? throw new PlatformUnavailableException("The container platform is not enabled on this host (Classcloud:Platform:Enabled).");
        if (!registry.TryLocate(w.Image, out var repository, out var tag) || !await ManifestExistsAsync(registry, repository, tag, ct))
        {
            throw new PlatformException(
                $"Saving on Kubernetes needs the workspace's image in the registry {registry.Address}; {w.Image} is not there.");
        }
        var home = Path.GetTempFileName();
        var layer = Path.GetTempFileName();
        try
        {
            await archiver.ArchiveHomeAsync(w.Image, names.Volume(w), names.Tenant(w.OwnerId), names.Helper(w.Id), home, ct);
            await HomeLayer.WriteAsync(home, layer, options.Value.HomePath, ct);
            File.Delete(home);
            return await new ImageLayering(registry, time).PushAsync(w.Image, reference, layer, CreatedBy, new Reporter(report), ct);
        }
        finally
        {
            File.Delete(home);
            File.Delete(layer);
        }
    }

    static async Task<bool> ManifestExistsAsync(RegistryClient registry, string repository, string tag, CancellationToken ct)
    {
        try
        {
            await registry.RawManifestAsync(repository, tag, ct);
            return true;
        }
        catch (PlatformNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Reports synchronously, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
