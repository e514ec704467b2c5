using System.Text.Json;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Assignments.Grading;

/// <summary>
/// Manual grading beside the autograder: an assignment's rubric (kept by position, so editing the texts keeps the
/// ticks), the items ticked per submission (their points summed into <see cref="Submission.RubricPoints"/>) and
/// comments on lines of the submitted files.
/// </summary>
public sealed class GradingService(ClasscloudDb db, AssignmentGate gate, TimeProvider clock)
{
    /// <summary>The rubric of a request, or the refusal naming the item.</summary>
    public static Outcome<List<RubricItem>> Parse(IReadOnlyList<RubricItemRequest> items)
    {
        if (items.Count > GradingLimits.MaxRubricItems)
        {
            return Problem.BadRequest("At most {0} rubric items.", GradingLimits.MaxRubricItems);
        }
        var parsed = new List<RubricItem>();
        foreach (var (item, n) in items.Select((item, n) => (item, n + 1)))
        {
            var text = item.Text?.Trim() ?? "";
            if (text.Length is 0 or > GradingLimits.RubricText || item.Points is not { } points || !double.IsFinite(points) || Math.Abs(points) > GradingLimits.MaxRubricPoints)
            {
                return Problem.BadRequest("Rubric item {0} needs a text of 1–{1} characters and points from -{2} to {2}.", n, GradingLimits.RubricText, GradingLimits.MaxRubricPoints);
            }
            parsed.Add(new RubricItem { Position = n, Text = text, Points = Math.Round(points, 2) });
        }
        return parsed;
    }

    /// <summary>Replaces the rubric, keeping each position's row (and its ticks), then brings every submission's rubric points up to date.</summary>
    public async Task ReplaceRubricAsync(long assignmentId, IReadOnlyList<RubricItem> items, CancellationToken ct)
    {
        var rows = await db.Set<RubricItem>().Where(r => r.AssignmentId == assignmentId).OrderBy(r => r.Position).ToListAsync(ct);
        for (var n = 0; n < items.Count; n++)
        {
            if (n < rows.Count)
            {
                (rows[n].Position, rows[n].Text, rows[n].Points) = (items[n].Position, items[n].Text, items[n].Points);
            }
            else
            {
                db.Set<RubricItem>().Add(new RubricItem { AssignmentId = assignmentId, Position = items[n].Position, Text = items[n].Text, Points = items[n].Points });
            }
        }
        db.Set<RubricItem>().RemoveRange(rows.Skip(items.Count));
        await db.SaveChangesAsync(ct);
        var points = await db.Set<RubricCheck>()
            .Join(db.Set<RubricItem>().Where(r => r.AssignmentId == assignmentId), c => c.RubricItemId, r => r.Id, (c, r) => new { c.SubmissionId, r.Points })
            .ToListAsync(ct);
        var sums = points.GroupBy(p => p.SubmissionId).ToDictionary(g => g.Key, g => g.Sum(p => p.Points));
        foreach (var s in await db.Submissions.Where(s => s.AssignmentId == assignmentId).ToListAsync(ct))
        {
            s.RubricPoints = sums.TryGetValue(s.Id, out var sum) ? Math.Round(sum, 2) : null;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ticks exactly <paramref name="itemIds"/> for the submission (the caller saves).</summary>
    public async Task<Problem?> TickAsync(Submission s, IReadOnlyList<long> itemIds, CancellationToken ct)
    {
        var items = await db.Set<RubricItem>().Where(r => r.AssignmentId == s.AssignmentId).ToDictionaryAsync(r => r.Id, ct);
        if (itemIds.Where(id => !items.ContainsKey(id)).Select(id => (long?)id).FirstOrDefault() is { } unknown)
        {
            return Problem.BadRequest("The assignment has no rubric item {0}.", unknown);
        }
        var ticked = itemIds.Distinct().ToList();
        await db.Set<RubricCheck>().Where(c => c.SubmissionId == s.Id).ExecuteDeleteAsync(ct);
        db.Set<RubricCheck>().AddRange(ticked.Select(id => new RubricCheck { SubmissionId = s.Id, RubricItemId = id }));
        s.RubricPoints = ticked.Count == 0 ? null : Math.Round(ticked.Sum(id => items[id].Points), 2);
        return null;
    }

    /// <summary>The rubric, with the submission's ticks when <paramref name="submissionId"/> is given.</summary>
    public async Task<IReadOnlyList<RubricItemDto>> RubricAsync(long assignmentId, long? submissionId, CancellationToken ct)
    {
        var items = await db.Set<RubricItem>().Where(r => r.AssignmentId == assignmentId).OrderBy(r => r.Position).ToListAsync(ct);
        var ticked = submissionId is { } id
            ? (await db.Set<RubricCheck>().Where(c => c.SubmissionId == id).Select(c => c.RubricItemId).ToListAsync(ct)).ToHashSet()
            : null;
        return items.Select(r => new RubricItemDto(r.Id, r.Text, r.Points, ticked?.Contains(r.Id))).ToList();
    }

    public async Task<IReadOnlyList<LineCommentDto>> CommentsAsync(long submissionId, CancellationToken ct) =>
        await db.Set<LineComment>().Where(c => c.SubmissionId == submissionId)
            .OrderBy(c => c.Path).ThenBy(c => c.Line).ThenBy(c => c.Id)
            .Select(c => new LineCommentDto(c.Id, c.Path, c.Line, c.Text, db.Users.Where(u => u.Id == c.AuthorId).Select(u => u.Name).FirstOrDefault() ?? "", c.CreatedAt))
            .ToListAsync(ct);

    /// <summary>An educator's comment on a line of a file the submission has.</summary>
    public async Task<Outcome<LineCommentDto>> CommentAsync(Caller caller, long submissionId, LineCommentRequest request, CancellationToken ct)
    {
        var opened = await OpenAsEducatorAsync(caller, submissionId, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var s = opened.Value!;
        var files = JsonSerializer.Deserialize<List<SubmissionFileDto>>(s.FilesJson, JsonSerializerOptions.Web) ?? [];
        if (request.Path is not { } path || !files.Any(f => f.Path == path && f.Type == "file"))
        {
            return Problem.BadRequest("The submission has no file {0}.", request.Path ?? "");
        }
        var text = request.Text?.Trim() ?? "";
        if (request.Line is not (>= 1 and <= 1_000_000) || text.Length is 0 or > GradingLimits.CommentText)
        {
            return Problem.BadRequest("A comment needs a line number and a text of 1–{0} characters.", GradingLimits.CommentText);
        }
        if (await db.Set<LineComment>().CountAsync(c => c.SubmissionId == submissionId, ct) >= GradingLimits.MaxComments)
        {
            return Problem.Conflict("A submission takes at most {0} comments.", GradingLimits.MaxComments);
        }
        var comment = new LineComment { SubmissionId = submissionId, Path = path, Line = request.Line.Value, Text = text, AuthorId = caller.UserId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Set<LineComment>().Add(comment);
        await db.SaveChangesAsync(ct);
        var author = await db.Users.Where(u => u.Id == caller.UserId).Select(u => u.Name).SingleOrDefaultAsync(ct) ?? "";
        return new LineCommentDto(comment.Id, comment.Path, comment.Line, comment.Text, author, comment.CreatedAt);
    }

    public async Task<Outcome<bool>> DeleteCommentAsync(Caller caller, long submissionId, long commentId, CancellationToken ct)
    {
        var opened = await OpenAsEducatorAsync(caller, submissionId, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var deleted = await db.Set<LineComment>().Where(c => c.Id == commentId && c.SubmissionId == submissionId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Problem.NotFound("No such comment.") : true;
    }

    async Task<Outcome<Submission>> OpenAsEducatorAsync(Caller caller, long submissionId, CancellationToken ct)
    {
        var opened = await gate.OpenSubmissionAsync(submissionId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        return opened.Value.Access.Course.IsEducator ? opened.Value.Submission : Problem.Forbidden("Only the educators of this course can do this.");
    }
}
