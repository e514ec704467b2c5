using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>
/// The grading queue is <c>Submissions.GradeState</c>. Several workers (and, during a leader hand-over, two
/// controller processes) take from it at once, so a submission is taken by one conditional update
/// (<c>queued → running</c>): of two takers of the same row, the database lets exactly one change it.
/// </summary>
public static class GradingQueue
{
    /// <summary>The oldest queued submission, now marked running and owned by the caller; null when none is queued.</summary>
    public static async Task<Submission?> ClaimNextAsync(ClasscloudDb db, CancellationToken ct)
    {
        while (true)
        {
            var id = await db.Submissions.Where(s => s.GradeState == GradeStates.Queued).OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (id is null)
            {
                return null;
            }
            var taken = await db.Submissions.Where(s => s.Id == id && s.GradeState == GradeStates.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.GradeState, GradeStates.Running), ct);
            if (taken == 1)
            {
                // Read after the update: a row this context tracked before would still say queued.
                var claimed = await db.Submissions.SingleAsync(s => s.Id == id, ct);
                await db.Entry(claimed).ReloadAsync(ct);
                return claimed;
            }
            // Another worker took it between the read and the update: look again.
        }
    }
}
