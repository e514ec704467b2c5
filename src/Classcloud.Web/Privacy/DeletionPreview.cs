using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Privacy;

public sealed record NamedItem(long Id, string Name);

/// <summary>
/// What deleting the account takes with it, for the confirmation (issue 16: "the user is told what will go").
/// <see cref="Blocking"/> lists what must be handed over first (courses and groups others depend on).
/// </summary>
public sealed record DeletionPreviewDto(
    IReadOnlyList<NamedItem> Workspaces, int Snapshots, IReadOnlyList<NamedItem> Projects, int Submissions,
    int Posts, int Comments, int Enrolments, IReadOnlyList<string> Blocking);

public sealed class DeletionPreview(ClasscloudDb db, IEnumerable<IAccountDeletionGuard> guards)
{
    public async Task<DeletionPreviewDto> ForAsync(long userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var blocking = new List<string>();
        foreach (var guard in guards)
        {
            if (await guard.BlockingReasonAsync(user, ct) is { } reason)
            {
                blocking.Add(reason);
            }
        }
        return new DeletionPreviewDto(
            await db.Workspaces.Where(w => w.OwnerId == userId).OrderBy(w => w.Id).Select(w => new NamedItem(w.Id, w.Name)).ToListAsync(ct),
            await db.WorkspaceSnapshots.CountAsync(s => s.OwnerId == userId, ct),
            await db.Projects.Where(p => p.OwnerId == userId).OrderBy(p => p.Id).Select(p => new NamedItem(p.Id, p.Name)).ToListAsync(ct),
            await db.Submissions.CountAsync(s => s.UserId == userId, ct),
            await db.Posts.CountAsync(p => p.AuthorId == userId, ct),
            await db.Comments.CountAsync(c => c.AuthorId == userId && c.DeletedAt == null, ct),
            await db.Enrolments.CountAsync(e => e.UserId == userId, ct),
            blocking);
    }
}
