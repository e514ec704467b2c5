using Classcloud.Platform;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Assignments;

/// <summary>
/// Every engine call of the assignments feature, in one place (so moving to the workload owner of issue 11
/// changes only this class): short-lived helpers that write into or read from a home volume, and the
/// grading sandbox. None of them ever runs in, or touches, the student's own container. Each container
/// is off every network (no tenant) and is removed whatever happens.
/// </summary>
public sealed class AssignmentContainers(IServiceProvider services, WorkspaceNames names, IOptions<WorkspacesOptions> workspaces, IOptions<AssignmentsOptions> options)
{
    IContainerPlatform Platform => services.GetRequiredService<IContainerPlatform>();

    string Home => workspaces.Value.HomePath;

    WorkloadId NewId(string kind) => new($"{names.Scope}-{kind}-{Guid.NewGuid().ToString("N")[..10]}");

    /// <summary>Unpacks <paramref name="tar"/> into <c>~/assignments/&lt;slug&gt;</c> of the workspace's volume, as the workspace user, keeping files already there.</summary>
    public async Task WriteFolderAsync(Workspace workspace, string slug, byte[] tar, CancellationToken ct)
    {
        var folder = $"{Home}/assignments/{slug}";
        await WithVolumeAsync(workspace, readOnly: false, async (platform, id) =>
        {
            var result = await platform.RunAsync(id, new ExecRequest
            {
                Command = ["sh", "-c", "mkdir -p \"$1\" && tar --skip-old-files --no-same-owner -x -C \"$1\"", "sh", folder],
                Input = new ReadOnlyMemory<byte>(tar),
                MaxOutputBytes = 4096,
            }, ct);
            if (result.ExitCode != 0)
            {
                throw new PlatformException($"Writing the assignment folder failed ({result.ExitCode}): {result.Stderr.Trim()}");
            }
        }, ct);
    }

    /// <summary>
    /// Streams <c>~/assignments/&lt;slug&gt;</c> as a tar (GNU tar: symbolic and hard links stored as links, never followed)
    /// into <paramref name="output"/>, at most <paramref name="maxBytes"/>; returns false when the stream was cut there.
    /// A folder that is missing or is itself a link throws with the reason.
    /// </summary>
    public async Task<bool> ReadFolderAsync(Workspace workspace, string slug, Stream output, long maxBytes, CancellationToken ct)
    {
        var folder = $"{Home}/assignments/{slug}";
        var complete = true;
        await WithVolumeAsync(workspace, readOnly: true, async (platform, id) =>
        {
            const string script = "if [ -L \"$1\" ] || [ ! -d \"$1\" ]; then echo 'the folder is missing or not a folder' >&2; exit 3; fi; tar -C \"$1\" -cf - .";
            await using var session = await platform.ExecAsync(id, new ExecRequest { Command = ["sh", "-c", script, "sh", folder], NoInput = true }, ct);
            var buffer = new byte[81920];
            var stderr = new System.Text.StringBuilder();
            long total = 0;
            while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
            {
                if (read.Stream == OutputStream.Stderr)
                {
                    stderr.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Min(read.Count, 1000)));
                    continue;
                }
                var room = (int)Math.Clamp(maxBytes - total, 0, read.Count);
                await output.WriteAsync(buffer.AsMemory(0, room), ct);
                total += read.Count;
                if (total > maxBytes)
                {
                    complete = false;
                    return; // the helper is removed below, which ends tar
                }
            }
            if (await session.GetExitCodeAsync(ct) is { } code and not (0 or 1))
            {
                throw new PlatformException($"Collecting the folder failed ({code}): {stderr.ToString().Trim()}");
            }
        }, ct);
        return complete;
    }

    async Task WithVolumeAsync(Workspace workspace, bool readOnly, Func<IContainerPlatform, WorkloadId, Task> work, CancellationToken ct)
    {
        var platform = Platform;
        var id = NewId(readOnly ? "asgr" : "asgw");
        var spec = new WorkloadSpec
        {
            Id = id,
            Image = workspace.Image,
            Command = ["sleep", "600"],
            User = "1000:1000",
            Volumes = [new VolumeMount(names.Volume(workspace), Home, ReadOnly: readOnly)],
            Resources = new WorkloadResources(0.5, 128L * 1024 * 1024, 64),
            StopGracePeriod = TimeSpan.FromSeconds(1),
        };
        try
        {
            await platform.EnsureAsync(spec, ct);
            await platform.UntilRunningAsync(id, workspaces.Value.StartTimeout, TimeProvider.System, ct); // a pod starts after EnsureAsync
            await work(platform, id);
        }
        finally
        {
            await platform.RemoveAsync(id, CancellationToken.None);
        }
    }

    /// <summary>
    /// A fresh sandbox for one submission: the grader image, no network, read-only root, the submission
    /// unpacked into a tmpfs /work (the test runner's files in another, <see cref="TestBatch.Root"/>), user 1000,
    /// the platform's cap-drop ALL and no-new-privileges, CPU, memory and pid limits. <paramref name="run"/> runs the tests in it; the sandbox is removed afterwards.
    /// </summary>
    public async Task<T> InSandboxAsync<T>(byte[] submissionTar, int memoryMb, Func<Sandbox, Task<T>> run, CancellationToken ct)
    {
        var platform = Platform;
        var o = options.Value;
        var id = NewId("grade");
        var spec = new WorkloadSpec
        {
            Id = id,
            Image = o.GraderImage ?? names.BaseImage(WorkspaceKind.Terminal),
            Command = ["sleep", "3600"],
            User = "1000:1000",
            // No working directory for the main process: Docker would then remount the tmpfs root-owned 0755 (each exec sets /work instead).
            ReadOnlyRootFilesystem = true,
            // /work allows exec: a compiled submission runs the binary it built there (nosuid stays; the user is not root).
            Tmpfs = [new TmpfsMount("/work", o.SandboxWorkBytes, Exec: true), new TmpfsMount("/tmp", 16L * 1024 * 1024), new TmpfsMount(TestBatch.Root, 32L * 1024 * 1024)],
            Resources = new WorkloadResources(o.SandboxCpus, (memoryMb + 64L) * 1024 * 1024 + o.SandboxWorkBytes, o.SandboxPids),
            Environment = new Dictionary<string, string> { ["HOME"] = "/work", ["PYTHONDONTWRITEBYTECODE"] = "1" },
            StopGracePeriod = TimeSpan.FromSeconds(1),
        };
        try
        {
            await platform.EnsureAsync(spec, ct);
            await platform.UntilRunningAsync(id, workspaces.Value.StartTimeout, TimeProvider.System, ct);
            // The submission is unpacked by the first exec that runs in it (the batch runner does it in the same exec).
            return await run(new Sandbox(platform, id, submissionTar));
        }
        finally
        {
            await platform.RemoveAsync(id, CancellationToken.None);
        }
    }
}
