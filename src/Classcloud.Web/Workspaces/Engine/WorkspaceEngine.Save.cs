using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Saving a workspace as a snapshot: commit on Docker, a home layer where the platform cannot commit.</summary>
public sealed partial class WorkspaceEngine
{
    /// <summary>
    /// Commit → push as the next immutable tag → snapshot row; bytes pushed are written as progress. A platform
    /// that cannot commit (Kubernetes) gets the workspace's image plus a home layer instead (<see cref="LayeredSave"/>).
    /// </summary>
    async Task SaveAsync(Workspace w, CancellationToken ct)
    {
        var number = (await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == w.Id).MaxAsync(s => (int?)s.Number, ct) ?? 0) + 1;
        var reference = names.Snapshot(w.OwnerId, w.Id, number);
        var progress = new ProgressWriter(services, w.Id, time);
        var (digest, size) = platform.Features.Commit
            ? await CommitAndPushAsync(platform, w, reference, progress, ct)
            : await LayerHomeAsync(w, reference, progress, ct);
        await progress.FlushAsync(ct);
        db.WorkspaceSnapshots.Add(new WorkspaceSnapshot
        {
            WorkspaceId = w.Id,
            OwnerId = w.OwnerId,
            Number = number,
            Kind = w.Kind,
            Image = reference,
            Digest = digest,
            SizeBytes = size,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        w.ProgressBytes = null;
        // Progress was written by another context: this one still believes it is null.
        db.Entry(w).Property(x => x.ProgressBytes).IsModified = true;
        await SetStateAsync(w, WorkspaceState.Stopped, ct);
        log.LogInformation("Saved workspace {Workspace} as {Image}", w.Id, reference);
    }

    /// <summary>The Docker path: the container's whole file system (packages too) plus home, pushed by the engine.</summary>
    async Task<(string? Digest, long Size)> CommitAndPushAsync(IContainerPlatform platform, Workspace w, string reference, ProgressWriter progress, CancellationToken ct)
    {
        await platform.CommitAsync(names.Workload(w), 0, reference, ct);
        await services.GetRequiredService<HomeArchiver>().AddHomeAsync(reference, names.Volume(w), names.Helper(w.Id), ct);
        await platform.PushImageAsync(reference, names.Registry.Credentials, new PushProgress(progress.Report), ct);
        var image = await platform.InspectImageAsync(reference, ct);
        var digest = image is { Digests.Count: > 0 } ? image.Digests[0][(image.Digests[0].IndexOf('@', StringComparison.Ordinal) + 1)..] : null;
        return (digest, image?.SizeBytes ?? 0);
    }

    /// <summary>The path without commit: the workspace's image plus a home layer, pushed through the registry API.</summary>
    async Task<(string? Digest, long Size)> LayerHomeAsync(Workspace w, string reference, ProgressWriter progress, CancellationToken ct)
    {
        var image = await services.GetRequiredService<LayeredSave>().SaveAsync(w, reference, progress.Report, ct);
        return (image.Digest, image.SizeBytes);
    }

    /// <summary>Writes bytes pushed to the row at most twice a second, on its own database context.</summary>
    sealed class ProgressWriter(IServiceProvider services, long workspaceId, TimeProvider time)
    {
        long latest;
        long written = -1;
        DateTimeOffset last;
        Task pending = Task.CompletedTask;

        public void Report(long bytes)
        {
            Interlocked.Exchange(ref latest, bytes);
            var now = time.GetUtcNow();
            if (now - last >= TimeSpan.FromMilliseconds(500) && pending.IsCompleted)
            {
                last = now;
                pending = WriteAsync(CancellationToken.None);
            }
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            await pending;
            await WriteAsync(ct);
        }

        async Task WriteAsync(CancellationToken ct)
        {
            var bytes = Interlocked.Read(ref latest);
            if (bytes == written)
            {
                return;
            }
            written = bytes;
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.ProgressBytes, bytes), ct);
        }
    }
}
