using Classcloud.Web.Accounts;
using Classcloud.Web.Assignments;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Privacy;

/// <summary>
/// The last step of erasing an account before its row goes: mail still queued or kept for it in the outbox,
/// and its submissions with their archived folders (files the row's cascade would leave on disk). Posts and
/// comments stay in their courses without a name (the schema's set-null), so a class's threads keep making sense.
/// </summary>
public sealed class RecordsEraser(ClasscloudDb db, SubmissionArchive archive) : IAccountEraser
{
    public int Order => 90;

    public async Task EraseAsync(User user, CancellationToken ct)
    {
        if (user.Email is { Length: > 0 } email)
        {
            var lower = email.ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower() to SQL lower(); the StringComparison overloads do not translate
            await db.Mail.Where(m => m.To.ToLower() == lower).ExecuteDeleteAsync(ct);
#pragma warning restore CA1862
        }
        var keys = await db.Submissions.Where(s => s.UserId == user.Id).Select(s => s.ArchiveKey).ToListAsync(ct);
        await db.Submissions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
        archive.Delete(keys.Where(k => k.Length > 0));
    }
}
