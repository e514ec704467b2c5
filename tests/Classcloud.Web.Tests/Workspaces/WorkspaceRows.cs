using Classcloud.Web.Data;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Workspaces;

/// <summary>
/// Workspaces and snapshots written straight into the database, in a chosen state, for tests of
/// permissions and state rules that must not wait for (or need) the container engine.
/// </summary>
public static class WorkspaceRows
{
    public static Task<long> AddAsync(ClasscloudHost host, long ownerId, WorkspaceState state = WorkspaceState.Stopped,
        WorkspaceVisibility visibility = WorkspaceVisibility.Private, GuestAccess guests = GuestAccess.View, long? courseId = null,
        WorkspaceKind kind = WorkspaceKind.Terminal, string? name = null, string? jobHolder = null) =>
        host.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var w = new Workspace
            {
                OwnerId = ownerId,
                Name = name ?? "ws-" + Guid.NewGuid().ToString("N")[..8],
                Kind = kind,
                Visibility = visibility,
                GuestAccess = guests,
                CourseId = courseId,
                State = state,
                JobHolder = jobHolder,
                Image = "classcloud-test/none:1",
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Workspaces.Add(w);
            await db.SaveChangesAsync();
            return w.Id;
        });

    public static Task<long> SnapshotAsync(ClasscloudHost host, long workspaceId) =>
        host.WithDbAsync(async db =>
        {
            var w = await db.Workspaces.SingleAsync(x => x.Id == workspaceId);
            var number = (await db.WorkspaceSnapshots.Where(s => s.WorkspaceId == workspaceId).MaxAsync(s => (int?)s.Number) ?? 0) + 1;
            var s = new WorkspaceSnapshot
            {
                WorkspaceId = workspaceId,
                OwnerId = w.OwnerId,
                Number = number,
                Kind = w.Kind,
                Image = $"127.0.0.1:5000/classcloud-test/rows/{Guid.NewGuid():N}:{number}",
                SizeBytes = 1234,
                CreatedAt = DateTime.UtcNow,
            };
            db.WorkspaceSnapshots.Add(s);
            await db.SaveChangesAsync();
            return s.Id;
        });

    public static Task<Workspace> GetAsync(ClasscloudHost host, long id) =>
        host.WithDbAsync(db => db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == id));

    public static Task SetStateAsync(ClasscloudHost host, long id, WorkspaceState state) =>
        host.WithDbAsync(db => db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.State, state)));
}
