using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>One pool and the size it should have: per base image, and per course environment.</summary>
public sealed record WarmPoolWant(string Pool, WorkspaceKind Kind, string Image, int Size);

/// <summary>What the warm pools should hold (from the options and the course environments), and which entries no longer fit.</summary>
public sealed class WarmPoolPlan(ClasscloudDb db, WorkspaceNames names, IOptions<WorkspacesOptions> options, TimeProvider time)
{
    public async Task<List<WarmPoolWant>> WantedAsync(CancellationToken ct)
    {
        var o = options.Value.WarmPool;
        var wanted = new List<WarmPoolWant>();
        if (o.Terminal > 0)
        {
            wanted.Add(new(WarmPool.Key(WorkspaceKind.Terminal), WorkspaceKind.Terminal, names.BaseImage(WorkspaceKind.Terminal), o.Terminal));
        }
        if (o.Desktop > 0)
        {
            wanted.Add(new(WarmPool.Key(WorkspaceKind.Desktop), WorkspaceKind.Desktop, names.BaseImage(WorkspaceKind.Desktop), o.Desktop));
        }
        if (o.PerEnvironment > 0)
        {
            var environments = await db.CourseEnvironments.AsNoTracking()
                .Join(db.WorkspaceSnapshots, e => e.SnapshotId, s => s.Id, (e, s) => new { e.Id, e.Kind, s.Image })
                .OrderBy(e => e.Id).ToListAsync(ct);
            wanted.AddRange(environments.Select(e => new WarmPoolWant(WarmPool.Key(e.Id), e.Kind, e.Image, o.PerEnvironment)));
        }
        return wanted;
    }

    /// <summary>
    /// Entries to keep, and entries to remove with why: their pool is off or runs another image, making them was
    /// interrupted, their image was updated, or the pool is smaller now.
    /// </summary>
    public async Task<(List<WarmPoolEntry> Kept, List<(WarmPoolEntry Entry, string Why)> Stale)> JudgeAsync(
        IContainerPlatform platform, List<WarmPoolWant> wanted, List<WarmPoolEntry> entries, CancellationToken ct)
    {
        var imageIds = new Dictionary<string, string?>(StringComparer.Ordinal);
        var now = time.GetUtcNow().UtcDateTime;
        var kept = new List<WarmPoolEntry>();
        var stale = new List<(WarmPoolEntry, string)>();
        foreach (var e in entries)
        {
            var want = wanted.FirstOrDefault(x => x.Pool == e.Pool);
            var why = want is null ? "its pool is off or gone"
                : want.Image != e.Image ? "its pool runs another image now"
                : !e.Ready && now - e.CreatedAt > options.Value.WarmPool.MakeTimeout ? "making it was interrupted"
                : e.Ready && await ImageIdAsync(platform, e.Image, imageIds, ct) is { } current && current != e.ImageId ? $"{e.Image} was updated"
                : kept.Count(k => k.Pool == e.Pool) >= want.Size ? "its pool is smaller now"
                : null;
            if (why is null)
            {
                kept.Add(e);
            }
            else
            {
                stale.Add((e, why));
            }
        }
        return (kept, stale);
    }

    /// <summary>The engine's id of the image a reference names now (once per pass per image); null when it is not on the engine.</summary>
    static async Task<string?> ImageIdAsync(IContainerPlatform platform, string image, Dictionary<string, string?> cache, CancellationToken ct)
    {
        if (!cache.TryGetValue(image, out var id))
        {
            id = (await platform.InspectImageAsync(image, ct))?.Id;
            cache[image] = id;
        }
        return id;
    }
}
