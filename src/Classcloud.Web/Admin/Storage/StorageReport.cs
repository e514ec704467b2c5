using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Admin.Storage;

/// <summary>One person's share of the disk: home volumes, pushed snapshots and course attachments they uploaded.</summary>
/// <param name="VolumeBytes">Null when the platform cannot measure volumes (Kubernetes, or no platform on this host).</param>
public sealed record UserStorageDto(
    long UserId, string Email, string Name, int Volumes, long? VolumeBytes, int Snapshots, long SnapshotBytes,
    int Attachments, long AttachmentBytes, long TotalBytes);

/// <param name="Users">The largest users first, at most <see cref="StorageReport.MaxUsers"/>.</param>
/// <param name="TotalBytes">Everything counted, over all users (not only those listed).</param>
/// <param name="VolumeSizesKnown">Whether the platform measured home volumes; otherwise their bytes are not in any total.</param>
/// <param name="Truncated">More users hold storage than are listed.</param>
public sealed record StorageDto(IReadOnlyList<UserStorageDto> Users, long TotalBytes, bool VolumeSizesKnown, bool Truncated);

/// <summary>
/// Who uses the disk (issue 16, seed 000 §3.5.2). Snapshot and attachment sizes come from their rows (recorded when
/// pushed or uploaded, equal to the bytes stored); home volumes are measured by the platform on each request.
/// </summary>
public sealed class StorageReport(ClasscloudDb db, WorkspaceNames names, IServiceProvider services, ILogger<StorageReport> log)
{
    public const int MaxUsers = 200;

    /// <summary>Workspaces read to map volumes to owners; a school far beyond this is reported as truncated.</summary>
    const int MaxWorkspaces = 50_000;

    sealed record Counted(int Count, long Bytes);

    public async Task<StorageDto> ReportAsync(CancellationToken ct)
    {
        var snapshots = await db.WorkspaceSnapshots.GroupBy(s => s.OwnerId)
            .Select(g => new { Owner = g.Key, Count = g.Count(), Bytes = g.Sum(s => s.SizeBytes) }).ToListAsync(ct);
        var attachments = await db.Attachments.Where(a => a.UploaderId != null).GroupBy(a => a.UploaderId!.Value)
            .Select(g => new { Owner = g.Key, Count = g.Count(), Bytes = g.Sum(a => a.Size) }).ToListAsync(ct);
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Take(MaxWorkspaces + 1).ToListAsync(ct);
        var truncated = workspaces.Count > MaxWorkspaces;
        var sizes = await VolumeSizesAsync(ct);

        var volumes = workspaces.Take(MaxWorkspaces).GroupBy(w => w.OwnerId).ToDictionary(g => g.Key, g => new Counted(
            g.Count(), sizes is null ? 0 : g.Sum(w => sizes.GetValueOrDefault(names.Volume(w)))));
        var snapshotsBy = snapshots.ToDictionary(s => s.Owner, s => new Counted(s.Count, s.Bytes));
        var attachmentsBy = attachments.ToDictionary(a => a.Owner, a => new Counted(a.Count, a.Bytes));
        var owners = volumes.Keys.Concat(snapshotsBy.Keys).Concat(attachmentsBy.Keys).Distinct().ToList();
        // A part someone does not have counts as nothing, so every user has a total.
        var totals = owners.Select(id => (Id: id, Volume: volumes.GetValueOrDefault(id), Snapshot: snapshotsBy.GetValueOrDefault(id),
            Attachment: attachmentsBy.GetValueOrDefault(id))).Select(t => (t.Id, t.Volume, t.Snapshot, t.Attachment,
            Bytes: (t.Volume?.Bytes ?? 0) + (t.Snapshot?.Bytes ?? 0) + (t.Attachment?.Bytes ?? 0))).ToList();
        var top = totals.OrderByDescending(t => t.Bytes).ThenBy(t => t.Id).Take(MaxUsers).ToList();
        var ids = top.Select(t => t.Id).ToList();
        var people = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.Name }).ToDictionaryAsync(u => u.Id, ct);
        var rows = top.Select(t => new UserStorageDto(
            t.Id, people.GetValueOrDefault(t.Id)?.Email ?? "", people.GetValueOrDefault(t.Id)?.Name ?? "",
            t.Volume?.Count ?? 0, sizes is null ? null : t.Volume?.Bytes ?? 0,
            t.Snapshot?.Count ?? 0, t.Snapshot?.Bytes ?? 0, t.Attachment?.Count ?? 0, t.Attachment?.Bytes ?? 0, t.Bytes)).ToList();
        return new StorageDto(rows, totals.Sum(t => t.Bytes), sizes is not null, truncated || totals.Count > MaxUsers);
    }

    /// <summary>Volume sizes, or null when nobody can measure them here (no platform, a driver without sizes, an engine away).</summary>
    async Task<IReadOnlyDictionary<string, long>?> VolumeSizesAsync(CancellationToken ct)
    {
        var platform = services.GetService<IContainerPlatform>();
        if (platform is null || !platform.Features.Enabled)
        {
            return null;
        }
        try
        {
            var sizes = await platform.VolumeSizesAsync(ct);
            return sizes.Count == 0 ? null : sizes;
        }
        catch (PlatformException ex)
        {
            log.LogWarning(ex, "Volume sizes could not be read; the storage report leaves them out");
            return null;
        }
    }
}
