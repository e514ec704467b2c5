using Classcloud.Platform;
using Classcloud.Web.Hosting;
using Classcloud.Web.Platform;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments.WorkspaceCli;

/// <summary>
/// The host folder <c>&lt;data&gt;/workspace-cli</c> that Docker course workspaces see read-only at <see cref="MountPath"/>:
/// <c>bin/classcloud</c>, <c>profile.sh</c> and <c>run/workspace-api.sock</c>. The folder (not the socket file) is
/// mounted, so a socket made again at the next server start is seen by containers that are already running.
/// </summary>
public sealed class WorkspaceCliFiles(IOptions<ClasscloudOptions> classcloud, IConfiguration configuration, IOptions<AssignmentsOptions> options)
{
    public const string MountPath = "/opt/classcloud";

    const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Root => Path.Combine(classcloud.Value.FullDataDirectory, "workspace-cli");

    public string SocketPath => Path.Combine(Root, "run", "workspace-api.sock");

    /// <summary>
    /// On only with the Docker driver: a Kubernetes node's folders are not this host's, so there the command is not
    /// mounted (docs/assignments.md says so).
    /// </summary>
    public bool Enabled => options.Value.WorkspaceCli
        && configuration.GetValue<bool>($"{PlatformSetup.Section}:Enabled")
        && (configuration[$"{PlatformSetup.Section}:Driver"] ?? PlatformInfo.DockerDriver) == PlatformInfo.DockerDriver;

    /// <summary>What a course workspace mounts.</summary>
    public HostDirectoryMount Mount => new(Root, MountPath);

    /// <summary>Writes the command and the profile snippet (in place, so running workspaces see a new version) and the socket's folder.</summary>
    public async Task WriteAsync(CancellationToken ct)
    {
        foreach (var dir in new[] { Root, Path.Combine(Root, "bin"), Path.Combine(Root, "run") })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, Executable); // the workspace user (uid 1000) walks in, and writes nothing
        }
        await WriteAsync("classcloud.sh", Path.Combine(Root, "bin", "classcloud"), Executable, ct);
        await WriteAsync("profile.sh", Path.Combine(Root, "profile.sh"), Readable, ct);
    }

    static async Task WriteAsync(string resource, string path, UnixFileMode mode, CancellationToken ct)
    {
        await using var source = typeof(WorkspaceCliFiles).Assembly.GetManifestResourceStream($"{typeof(WorkspaceCliFiles).Namespace}.{resource}")
            ?? throw new InvalidOperationException($"The resource {resource} is missing from the build.");
        using var text = new StreamReader(source);
        var content = await text.ReadToEndAsync(ct);
        if (File.Exists(path) && await File.ReadAllTextAsync(path, ct) == content)
        {
            return;
        }
        await File.WriteAllTextAsync(path, content, ct);
        File.SetUnixFileMode(path, mode);
    }
}
