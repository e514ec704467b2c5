namespace Classcloud.Platform.Kubernetes;

/// <summary>
/// Images on Kubernetes: the API runs images, it does not make them. The nodes pull from the
/// platform registry; commits, builds, imports and pushes happen elsewhere (docs/kubernetes.md,
/// "Saving a workspace": a home-volume snapshot plus the workspace's base image, and image builds
/// by a Docker host or a build job). Every image operation here says so.
/// </summary>
internal sealed partial class KubernetesPlatform
{
    static PlatformNotSupportedException NotThroughTheApi(string what) =>
        new($"The Kubernetes API cannot {what}. On Kubernetes, images are built and pushed by the image builder (a Docker host, see docs/kubernetes.md \"Images\"), and saving a workspace snapshots its home volume on top of its base image (docs/kubernetes.md \"Saving a workspace\").");

    public Task<string> CommitAsync(WorkloadId id, int replica, string reference, CancellationToken ct) =>
        throw NotThroughTheApi("commit a running container's file system");

    public Task<string> ImportImageAsync(Stream rootfsTar, string reference, IProgress<string>? progress, CancellationToken ct) =>
        throw NotThroughTheApi("import an image");

    public Task<string> BuildImageAsync(Stream contextTar, ImageBuildRequest request, IProgress<string>? progress, CancellationToken ct) =>
        throw NotThroughTheApi("build an image");

    public Task TagImageAsync(string source, string target, CancellationToken ct) =>
        throw NotThroughTheApi("tag an image (tag it in the registry)");

    public Task PushImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) =>
        throw NotThroughTheApi("push an image");

    public Task PullImageAsync(string reference, RegistryCredentials? credentials, IProgress<string>? progress, CancellationToken ct) =>
        throw NotThroughTheApi("pull an image ahead of time (nodes pull when a pod starts)");

    public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct) =>
        throw NotThroughTheApi("inspect an image (ask the registry)");

    public Task<bool> RemoveImageAsync(string reference, bool force, CancellationToken ct) =>
        throw NotThroughTheApi("remove an image (nodes collect unused images themselves)");
}
