using Classcloud.Platform;

namespace Classcloud.Cli.Backup;

/// <summary>
/// Workspace home volumes, read and written through the engine (no host path of the engine's storage
/// is assumed): a short-lived helper of <see cref="BackupSettings.HelperImage"/>, on no network, mounts
/// the volume at the home path and runs <c>tar</c>. Mounting at the home path matters on restore: the
/// engine gives a new volume the image's home directory first, owned by the workspace user, so the
/// files land with the owner a workspace expects.
/// </summary>
internal sealed class HomeVolumes(IContainerPlatform platform, BackupSettings settings)
{
    const string ScopeLabel = PlatformInfo.LabelPrefix + "controller";
    const string WorkspaceLabel = PlatformInfo.LabelPrefix + "workspace";

    /// <summary>Every volume of the install's scope: workspace homes, including those claimed from the warm pool.</summary>
    public Task<IReadOnlyList<VolumeInfo>> ListAsync(CancellationToken ct) =>
        platform.ListVolumesAsync(new Dictionary<string, string> { [ScopeLabel] = settings.Scope }, ct);

    /// <summary>"home of workspace 7" for progress lines, else the volume's name.</summary>
    public static string Describe(string name, IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(WorkspaceLabel, out var id) ? $"home of workspace {id}" : $"volume {name}";

    /// <summary>Makes sure the helper image is on the engine (pulled from the registry if not).</summary>
    public async Task EnsureHelperImageAsync(CancellationToken ct)
    {
        if (await platform.InspectImageAsync(settings.HelperImage, ct) is null)
        {
            var credentials = settings.HelperImage.StartsWith(settings.Registry.Address + "/", StringComparison.Ordinal) ? settings.Registry.Credentials : null;
            await platform.PullImageAsync(settings.HelperImage, credentials, null, ct);
        }
    }

    /// <summary>Writes the volume's files as a tar (names relative to home) to <paramref name="file"/>; returns its size.</summary>
    public async Task<long> ArchiveAsync(VolumeInfo volume, string file, CancellationToken ct)
    {
        return await WithHelperAsync(volume, readOnly: true, async helper =>
        {
            await using var session = await platform.ExecAsync(helper, new ExecRequest { Command = ["tar", "-C", settings.HomePath, "-cf", "-", "."], NoInput = true }, ct);
            await using var output = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            var errors = await DrainAsync(session, output, ct);
            await CheckExitAsync(session, "reading", volume.Name, errors, ct);
            return output.Length;
        }, ct);
    }

    /// <summary>Creates the volume with its labels and unpacks <paramref name="file"/> into it.</summary>
    public async Task RestoreAsync(BackupVolume volume, string file, CancellationToken ct)
    {
        var info = await platform.EnsureVolumeAsync(volume.Name, volume.Labels, ct);
        await WithHelperAsync(info, readOnly: false, async helper =>
        {
            await using var session = await platform.ExecAsync(helper, new ExecRequest { Command = ["tar", "-C", settings.HomePath, "-xf", "-"] }, ct);
            var reading = DrainAsync(session, Stream.Null, ct);
            await using (var input = File.OpenRead(file))
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await input.ReadAsync(buffer, ct)) > 0)
                {
                    await session.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            await session.CloseInputAsync(ct);
            await CheckExitAsync(session, "writing", volume.Name, await reading, ct);
            return 0;
        }, ct);
    }

    async Task<T> WithHelperAsync<T>(VolumeInfo volume, bool readOnly, Func<WorkloadId, Task<T>> work, CancellationToken ct)
    {
        // No scope label: the install's reconciler, if it runs, neither adopts nor removes the helper.
        var helper = new WorkloadId($"{settings.Scope}-backup-{Guid.NewGuid().ToString("N")[..8]}");
        var spec = new WorkloadSpec
        {
            Id = helper,
            Image = settings.HelperImage,
            // On Docker no tenant keeps the helper off every network; a Kubernetes claim is mounted only in its namespace.
            Tenant = settings.Platform["Driver"] is { } driver && driver.Equals(PlatformInfo.KubernetesDriver, StringComparison.OrdinalIgnoreCase)
                ? volume.Labels.GetValueOrDefault(PlatformInfo.TenantLabel) : null,
            Command = ["sleep", "3600"],
            Volumes = [new VolumeMount(volume.Name, settings.HomePath, ReadOnly: readOnly)],
            Resources = new WorkloadResources(1, 256L * 1024 * 1024, 64),
        };
        try
        {
            await platform.EnsureAsync(spec, ct);
            await platform.UntilRunningAsync(helper, TimeSpan.FromMinutes(5), TimeProvider.System, ct); // a pod starts after EnsureAsync
            return await work(helper);
        }
        finally
        {
            await platform.RemoveAsync(helper, CancellationToken.None);
        }
    }

    /// <summary>Copies stdout to <paramref name="output"/> until the process ends; returns what it wrote on stderr.</summary>
    static async Task<string> DrainAsync(IStreamSession session, Stream output, CancellationToken ct)
    {
        var buffer = new byte[128 * 1024];
        var errors = new MemoryStream();
        while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
        {
            if (read.Stream == OutputStream.Stdout)
            {
                await output.WriteAsync(buffer.AsMemory(0, read.Count), ct);
            }
            else if (errors.Length < 4096)
            {
                errors.Write(buffer, 0, read.Count);
            }
        }
        return System.Text.Encoding.UTF8.GetString(errors.ToArray()).Trim();
    }

    static async Task CheckExitAsync(IStreamSession session, string doing, string volume, string errors, CancellationToken ct)
    {
        // GNU tar exits 1 when a file changed while it read it: a running workspace's home, copied as it was.
        if (await session.GetExitCodeAsync(ct) is { } code and not 0 && !(code == 1 && doing == "reading"))
        {
            throw new BackupException($"{doing} the volume {volume} failed (tar exited with {code}: {errors}).");
        }
    }
}
