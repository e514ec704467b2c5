using System.Globalization;
using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin.Storage;

/// <summary>An image Classcloud pushed to its registry.</summary>
/// <param name="Id"><c>snapshot-&lt;row id&gt;</c> or <c>revision-&lt;row id&gt;</c>: stable for as long as the image exists.</param>
/// <param name="Kind"><c>snapshot</c> (a saved workspace) or <c>revision</c> (a project build).</param>
/// <param name="Name">The workspace's or project's name, with the snapshot or revision number.</param>
/// <param name="SizeBytes">Recorded at push for snapshots; read from the registry's manifest for revisions (null when it cannot be read).</param>
/// <param name="InUse">Why it cannot be deleted now; null when it can.</param>
public sealed record ImageDto(
    string Id, string Kind, string Image, long? OwnerId, string? OwnerEmail, string Name, long? SizeBytes, DateTime CreatedAt, string? InUse);

/// <param name="Truncated">More images exist than the <see cref="ImageCatalog.MaxPerKind"/> newest of each kind listed.</param>
public sealed record ImagesDto(IReadOnlyList<ImageDto> Items, bool Truncated);

/// <summary>
/// The registry's images as the database knows them (snapshots and project revisions), for the administrators'
/// storage page. Deleting reuses the snapshot collector's removal (registry, local copy, row); an image something
/// still runs from or hands out is refused.
/// </summary>
public sealed class ImageCatalog(
    ClasscloudDb db, SnapshotCollector snapshots, AuditLog audit, IServiceProvider services, TimeProvider time, ILogger<ImageCatalog> log)
{
    public const int MaxPerKind = 500;

    public async Task<ImagesDto> ListAsync(CancellationToken ct)
    {
        var snaps = await db.WorkspaceSnapshots.AsNoTracking().OrderByDescending(s => s.Id).Take(MaxPerKind + 1).ToListAsync(ct);
        var revisions = await db.ProjectRevisions.AsNoTracking().OrderByDescending(r => r.Id).Take(MaxPerKind + 1)
            .Join(db.Projects, r => r.ProjectId, p => p.Id, (r, p) => new { Revision = r, p.Name, p.OwnerId, p.CurrentRevisionId })
            .ToListAsync(ct);
        var truncated = snaps.Count > MaxPerKind || revisions.Count > MaxPerKind;
        snaps = [.. snaps.Take(MaxPerKind)];
        revisions = [.. revisions.Take(MaxPerKind)];

        var workspaceIds = snaps.Where(s => s.WorkspaceId is not null).Select(s => s.WorkspaceId!.Value).Distinct().ToList();
        var workspaceNames = await db.Workspaces.AsNoTracking().Where(w => workspaceIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, ct);
        var used = await SnapshotUsesAsync([.. snaps.Select(s => s.Id)], ct);
        var ownerIds = snaps.Select(s => s.OwnerId).Concat(revisions.Select(r => r.OwnerId)).Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);

        var items = new List<ImageDto>(snaps.Count + revisions.Count);
        foreach (var s in snaps)
        {
            var name = s.WorkspaceId is { } w && workspaceNames.TryGetValue(w, out var n) ? n : Sentences.Format("(deleted workspace)", []);
            items.Add(new ImageDto(SnapshotId(s.Id), "snapshot", s.Image, s.OwnerId, emails.GetValueOrDefault(s.OwnerId), $"{name} #{s.Number}",
                s.SizeBytes, s.CreatedAt, used.GetValueOrDefault(s.Id)));
        }
        var registry = services.GetService<RegistryClient>();
        foreach (var r in revisions)
        {
            long? size = null;
            try
            {
                size = await ManifestSizeAsync(registry, r.Revision.Image, ct);
            }
            catch (PlatformUnavailableException ex)
            {
                // One unreachable registry would fail every other request too: list the rest without sizes.
                log.LogWarning(ex, "The registry cannot be reached; revision sizes are left out");
                registry = null;
            }
            items.Add(new ImageDto(RevisionId(r.Revision.Id), "revision", r.Revision.Image, r.OwnerId, emails.GetValueOrDefault(r.OwnerId),
                $"{r.Name} #{r.Revision.Number}", size, r.Revision.CreatedAt,
                r.CurrentRevisionId == r.Revision.Id ? Sentences.Format("The project runs this revision.", []) : null));
        }
        return new ImagesDto([.. items.OrderByDescending(i => i.SizeBytes ?? 0).ThenByDescending(i => i.CreatedAt)], truncated);
    }

    /// <summary>Removes the image from the registry and its row. 404 for an unknown id, 409 while in use, 503 without a registry.</summary>
    public async Task<Problem?> DeleteAsync(string id, CancellationToken ct)
    {
        try
        {
            return Parse(id, "snapshot-") is { } snapshotId ? await DeleteSnapshotAsync(snapshotId, ct)
                : Parse(id, "revision-") is { } revisionId ? await DeleteRevisionAsync(revisionId, ct)
                : Problem.NotFound("There is no image {0}.", id);
        }
        catch (PlatformUnavailableException ex)
        {
            log.LogWarning(ex, "Deleting image {Image} failed", id);
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The image registry cannot be reached from this host; try again later.");
        }
    }

    async Task<Problem?> DeleteSnapshotAsync(long id, CancellationToken ct)
    {
        var snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (snapshot is null)
        {
            return Problem.NotFound("There is no image {0}.", SnapshotId(id));
        }
        if ((await SnapshotUsesAsync([id], ct)).GetValueOrDefault(id) is { } why)
        {
            return Problem.Conflict(why);
        }
        audit.Record("image.delete", SnapshotId(id), snapshot.Image);
        await snapshots.RemoveAsync(snapshot, ct); // saves the audit entry with the row's removal
        return null;
    }

    async Task<Problem?> DeleteRevisionAsync(long id, CancellationToken ct)
    {
        var revision = await db.ProjectRevisions.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (revision is null)
        {
            return Problem.NotFound("There is no image {0}.", RevisionId(id));
        }
        if (await db.Projects.AnyAsync(p => p.CurrentRevisionId == id, ct))
        {
            return Problem.Conflict("The project runs this revision.");
        }
        var registry = services.GetService<RegistryClient>()
            ?? throw new PlatformUnavailableException("The container platform is not enabled on this host (Classcloud:Platform:Enabled).");
        try
        {
            await registry.DeleteAsync(revision.Image, ct);
        }
        catch (ArgumentException ex)
        {
            // Built into another registry than the one configured now: nothing this host can remove.
            log.LogWarning(ex, "Image {Image} is not in the configured registry; only its row goes", revision.Image);
        }
        audit.Record("image.delete", RevisionId(id), revision.Image);
        db.ProjectRevisions.Remove(revision);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Why each of the snapshots is in use: a workspace made from it, a course environment, a live share key.</summary>
    async Task<Dictionary<long, string>> SnapshotUsesAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var used = new Dictionary<long, string>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var id in await db.WorkspaceKeys.Where(k => chunk.Contains(k.SnapshotId) && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
                .Select(k => k.SnapshotId).Distinct().ToListAsync(ct))
            {
                used[id] = Sentences.Format("A share key hands this snapshot out; revoke the key first.", []);
            }
            foreach (var id in await db.CourseEnvironments.Where(e => chunk.Contains(e.SnapshotId)).Select(e => e.SnapshotId).Distinct().ToListAsync(ct))
            {
                used[id] = Sentences.Format("A course environment is made from this snapshot.", []);
            }
            foreach (var id in await db.Workspaces.Where(w => w.SnapshotId != null && chunk.Contains(w.SnapshotId.Value) && !w.Deleting)
                .Select(w => w.SnapshotId!.Value).Distinct().ToListAsync(ct))
            {
                used[id] = Sentences.Format("A workspace is made from this snapshot.", []);
            }
        }
        return used;
    }

    /// <summary>Layers and config of the manifest (the registry stores shared layers once, so images of one base overlap).</summary>
    async Task<long?> ManifestSizeAsync(RegistryClient? registry, string image, CancellationToken ct)
    {
        if (registry is null || !registry.TryLocate(image, out var repository, out var reference))
        {
            return null;
        }
        try
        {
            var (_, manifest) = await registry.ManifestAsync(repository, reference, ct);
            using (manifest)
            {
                var root = manifest.RootElement;
                long size = root.TryGetProperty("config", out var config) && config.TryGetProperty("size", out var c) ? c.GetInt64() : 0;
                if (root.TryGetProperty("layers", out var layers))
                {
                    size += layers.EnumerateArray().Sum(l => l.TryGetProperty("size", out var s) ? s.GetInt64() : 0);
                }
                return size;
            }
        }
        catch (Exception ex) when (ex is (PlatformException and not PlatformUnavailableException) or System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            log.LogDebug(ex, "No readable manifest for {Image}", image);
            return null;
        }
    }

    static string SnapshotId(long id) => "snapshot-" + id.ToString(CultureInfo.InvariantCulture);

    static string RevisionId(long id) => "revision-" + id.ToString(CultureInfo.InvariantCulture);

    static long? Parse(string id, string prefix) =>
        id.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
